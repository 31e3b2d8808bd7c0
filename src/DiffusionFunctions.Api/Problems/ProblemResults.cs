using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace DiffusionFunctions.Api.Problems;

/// <summary>Builds the <c>application/problem+json</c> results the functions return, one method per <see cref="ProblemTypes"/> entry.</summary>
public static class ProblemResults
{
    /// <summary>The problem media type.</summary>
    public const string ContentType = "application/problem+json";

    /// <summary>400 validation problem with per-field <c>errors</c>.</summary>
    public static ObjectResult Validation(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return Result(WithOmitted(new ValidationProblemDetails(errors.ToDictionary())
        {
            Type = ProblemTypes.Validation,
            Title = "The request is not valid.",
            Status = StatusCodes.Status400BadRequest,
            Detail = errors.Summarize(),
        }, errors));
    }

    /// <summary>400 validation problem for one field.</summary>
    public static ObjectResult Validation(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return Validation(errors);
    }

    /// <summary>400 validation problem on <c>model</c>: the name is not one the deployment serves; <c>models</c> lists those it does.</summary>
    public static ObjectResult UnknownModel(string message, IReadOnlyList<string> known)
    {
        var result = Validation("model", message);
        ((ProblemDetails)result.Value!).Extensions["models"] = known;
        return result;
    }

    /// <summary>400: the body could not be parsed at all.</summary>
    public static ObjectResult MalformedBody(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return Result(WithOmitted(new ValidationProblemDetails(errors.ToDictionary())
        {
            Type = ProblemTypes.MalformedBody,
            Title = "The request body is malformed.",
            Status = StatusCodes.Status400BadRequest,
            Detail = errors.Summarize(),
        }, errors));
    }

    /// <summary>Adds <c>omittedErrors</c> when the bounded error list left messages out.</summary>
    private static ValidationProblemDetails WithOmitted(ValidationProblemDetails problem, ValidationErrors errors)
    {
        if (errors.Omitted > 0)
        {
            problem.Extensions["omittedErrors"] = errors.Omitted;
        }

        return problem;
    }

    /// <summary>413 naming the field (<c>body</c>, <c>initImage</c>, <c>mask</c>).</summary>
    public static ObjectResult PayloadTooLarge(string field, string detail)
        => Result(FieldProblem(ProblemTypes.PayloadTooLarge, "The payload is too large.", StatusCodes.Status413PayloadTooLarge, field, detail));

    /// <summary>415 naming the field (<c>Content-Type</c>, <c>initImage</c>, <c>mask</c>).</summary>
    public static ObjectResult UnsupportedMediaType(string field, string detail)
        => Result(FieldProblem(ProblemTypes.UnsupportedMediaType, "The media type is not supported.", StatusCodes.Status415UnsupportedMediaType, field, detail));

    /// <summary>
    /// 422 for a blocked prompt. What it says about the match follows <paramref name="reveal"/>
    /// (<c>PromptPolicy:RevealMatches</c>): the categories (<c>category</c>, <c>categories</c>), also the matched terms
    /// (<c>matches</c>), or nothing beyond the refusal.
    /// </summary>
    public static ObjectResult PolicyViolation(string field, PromptPolicyVerdict verdict, PromptPolicyRevealMatches reveal = PromptPolicyRevealMatches.Category)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var categories = verdict.Categories();
        var problem = new ProblemDetails
        {
            Type = ProblemTypes.PolicyViolation,
            Title = "The prompt contains blocked terms.",
            Status = StatusCodes.Status422UnprocessableEntity,
            Detail = verdict.RefusalDetail(field, reveal),
        };
        problem.Extensions["field"] = field;
        if (reveal != PromptPolicyRevealMatches.None)
        {
            problem.Extensions["category"] = categories.FirstOrDefault();
            problem.Extensions["categories"] = categories;
        }

        if (reveal == PromptPolicyRevealMatches.Terms)
        {
            problem.Extensions["matches"] = verdict.Matches.Select(m => new Dictionary<string, string> { ["term"] = m.Term, ["category"] = m.Category }).ToArray();
        }

        return Result(problem);
    }

    /// <summary>409: the idempotency key belongs to another request.</summary>
    public static ObjectResult IdempotencyConflict(string key, string existingJobId)
        => IdempotencyConflict(key, "job", "jobId", existingJobId);

    /// <summary>409: the idempotency key of a batch submission was used for another batch body.</summary>
    public static ObjectResult BatchIdempotencyConflict(string key, string existingBatchId)
        => IdempotencyConflict(key, "batch", "batchId", existingBatchId);

    private static ObjectResult IdempotencyConflict(string key, string noun, string idExtension, string existingId)
    {
        var problem = FieldProblem(ProblemTypes.IdempotencyConflict, "The idempotency key was used with a different request.",
            StatusCodes.Status409Conflict, "Idempotency-Key",
            $"Idempotency-Key '{key}' was already used for {noun} {existingId} with a different request body; use a new key.");
        problem.Extensions[idExtension] = existingId;
        return Result(problem);
    }

    /// <summary>409: the idempotency key's first request has not finished storing its job yet.</summary>
    public static ObjectResult IdempotencyInProgress(string key)
        => Result(FieldProblem(ProblemTypes.IdempotencyInProgress, "A request with this idempotency key is still being processed.",
            StatusCodes.Status409Conflict, "Idempotency-Key", $"Idempotency-Key '{key}' is being processed by another request; retry shortly."));

    /// <summary>404 for an unknown job id.</summary>
    public static ObjectResult JobNotFound(string id)
        => Result(FieldProblem(ProblemTypes.NotFound, "No such job.", StatusCodes.Status404NotFound, "id", $"No job with id '{id}' exists."));

    /// <summary>500: the job's stored record cannot be read (the cause is logged with the job id, never shown).</summary>
    public static ObjectResult JobRecordUnreadable(string id)
        => Result(FieldProblem(ProblemTypes.JobRecordUnreadable, "The job's record cannot be read.", StatusCodes.Status500InternalServerError, "id",
            $"The stored record of job '{id}' cannot be read; the job cannot be shown or cancelled. Quote the job id when reporting it."));

    /// <summary>409: the job already succeeded or failed.</summary>
    public static ObjectResult JobFinished(string id, string status)
        => Result(FieldProblem(ProblemTypes.JobFinished, "The job has already finished.", StatusCodes.Status409Conflict, "id",
            $"Job '{id}' is {status} and can no longer be cancelled."));

    /// <summary>404 for an unknown batch id.</summary>
    public static ObjectResult BatchNotFound(string id)
        => Result(FieldProblem(ProblemTypes.NotFound, "No such batch.", StatusCodes.Status404NotFound, "id", $"No batch with id '{id}' exists."));

    /// <summary>409: the batch already finished.</summary>
    public static ObjectResult BatchFinished(string id, string status)
        => Result(FieldProblem(ProblemTypes.BatchFinished, "The batch has already finished.", StatusCodes.Status409Conflict, "id",
            $"Batch '{id}' is {status} and can no longer be cancelled."));

    /// <summary>422: every item of the batch was refused; <c>items</c> holds each item's problem, in order.</summary>
    public static ObjectResult BatchRefused(IReadOnlyList<Core.Workflows.WorkflowItemRefusal> refusals)
    {
        ArgumentNullException.ThrowIfNull(refusals);
        var problem = new ProblemDetails
        {
            Type = ProblemTypes.BatchRefused,
            Title = "Every item of the batch was refused.",
            Status = StatusCodes.Status422UnprocessableEntity,
            Detail = $"All {refusals.Count} item(s) were refused by validation or the content policy; no batch was created. See items.",
        };
        problem.Extensions["items"] = refusals.Select((r, i) => new { item = i, problem = r }).ToArray();
        return Result(problem);
    }

    /// <summary>503: storage is unreachable.</summary>
    public static ObjectResult StorageUnavailable(string detail)
        => Result(new ProblemDetails
        {
            Type = ProblemTypes.StorageUnavailable,
            Title = "Storage is unavailable.",
            Status = StatusCodes.Status503ServiceUnavailable,
            Detail = detail,
        });

    /// <summary>503: the local run's queue listener is not taking messages (<paramref name="detail"/> says why).</summary>
    public static ObjectResult WorkerUnavailable(string detail)
        => Result(new ProblemDetails
        {
            Type = ProblemTypes.WorkerUnavailable,
            Title = "The worker is not taking jobs.",
            Status = StatusCodes.Status503ServiceUnavailable,
            Detail = detail,
        });

    private static ProblemDetails FieldProblem(string type, string title, int status, string field, string detail)
    {
        var problem = new ProblemDetails { Type = type, Title = title, Status = status, Detail = detail };
        problem.Extensions["field"] = field;
        return problem;
    }

    private static ObjectResult Result(ProblemDetails problem)
    {
        var result = new ObjectResult(problem) { StatusCode = problem.Status };
        result.ContentTypes.Add(ContentType);
        return result;
    }
}
