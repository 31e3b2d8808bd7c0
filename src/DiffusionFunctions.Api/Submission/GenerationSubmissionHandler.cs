using System.Globalization;
using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.Api.Resources;
using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Images;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Api.Submission;

/// <summary>
/// The work behind <c>POST /api/generations</c>, in the order that writes nothing until everything is known to be
/// good: idempotency key format → body (size, type, JSON shape) → model (<c>model</c>, else the default; an unknown
/// name is a 400 listing the known ones) → the model's field rules → prompt policy (the prompt only, never
/// the negative prompt) → images (size before decode, magic bytes, pixel count) → submit (idempotency claim, image
/// blobs, job record, message on the model's queue) → 202 with <c>Location</c> and <c>Retry-After</c>; or, with <c>Prefer: wait=N</c>,
/// 200 with the finished job when it finishes within N seconds (capped by <see cref="ApiOptions.MaxWaitSeconds"/>). The
/// answer's <c>warnings</c> also name the prompt words the served model does not know, when it publishes a vocabulary.
/// </summary>
public sealed class GenerationSubmissionHandler(
    SubmissionBodyReader reader,
    GenerationRequestValidator validator,
    InputImageInspector inspector,
    IPromptPolicy policy,
    GenerationSubmitter submitter,
    GenerationResourceFactory resources,
    JobCompletionWaiter waiter,
    Models.ModelCatalog catalog,
    Models.ModelSelector selector,
    Listing.CallerJobIndex callerIndex,
    IOptions<ApiOptions> options,
    IOptions<PromptPolicyOptions> policyOptions,
    ILogger<GenerationSubmissionHandler> logger)
{
    /// <summary>Handles one submission.</summary>
    public async Task<IActionResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IdempotencyKeyHeader.TryRead(request, out var key, out var keyProblem))
        {
            return keyProblem!;
        }

        if (!Listing.CallerIdentity.TryRead(request, out var caller, out var callerError))
        {
            return ProblemResults.Validation(Listing.CallerIdentity.Header, callerError!);
        }

        var body = await reader.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var generation = body.Request!;
        // The model first: its rules (sizes, steps, modes, defaults) are the ones the request is checked against.
        var model = selector.Select(generation.Model, out var modelError, out var knownModels);
        if (model is null)
        {
            return ProblemResults.UnknownModel(modelError!, knownModels);
        }

        var validation = validator.Validate(generation, body.HasInitImage, body.HasMask, model);
        if (!validation.IsValid)
        {
            return ProblemResults.Validation(validation.Errors);
        }

        var verdict = policy.Evaluate(generation.Prompt!);
        if (verdict.IsBlocked)
        {
            logger.LogInformation("Refused a prompt with blocked terms in categories {Categories}",
                string.Join(",", verdict.Matches.Select(m => m.Category).Distinct()));
            return ProblemResults.PolicyViolation("prompt", verdict, policyOptions.Value.RevealMatches);
        }

        var initImage = InspectImage("initImage", generation.InitImage, body.InitImagePart, out var initProblem);
        if (initProblem is not null)
        {
            return initProblem;
        }

        var mask = InspectImage("mask", generation.Mask, body.MaskPart, out var maskProblem);
        if (maskProblem is not null)
        {
            return maskProblem;
        }

        var hash = GenerationRequestHasher.Compute(generation, initImage, mask);
        var result = await submitter.SubmitAsync(validation.Parameters!, initImage, mask, key, hash, cancellationToken).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case SubmissionOutcome.KeyReusedWithDifferentRequest:
                return ProblemResults.IdempotencyConflict(key!, result.ExistingJobId!);
            case SubmissionOutcome.KeyInProgress:
                SetRetryAfter(request);
                return ProblemResults.IdempotencyInProgress(key!);
        }

        var job = result.Job!;
        if (result.Outcome == SubmissionOutcome.Created)
        {
            await IndexForCallerAsync(caller, job).ConfigureAwait(false);
        }

        var location = StatusLocation(request, job.Id);
        request.HttpContext.Response.Headers.Location = location;
        SetRetryAfter(request);
        if (result.Outcome == SubmissionOutcome.Replayed)
        {
            request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
        }

        var wait = PreferWait.Read(request.Headers, options.Value.MaxWaitSeconds);
        if (wait > 0)
        {
            request.HttpContext.Response.Headers[PreferWait.PreferenceAppliedHeader] = $"wait={wait.ToString(CultureInfo.InvariantCulture)}";
            job = await waiter.WaitAsync(job, TimeSpan.FromSeconds(wait), cancellationToken).ConfigureAwait(false);
        }

        var resource = await resources.CreateAsync(job, cancellationToken).ConfigureAwait(false);
        if (VocabularyWarnings(model, job.Parameters.Prompt) is { Count: > 0 } promptWarnings)
        {
            resource = resource with { Warnings = [.. resource.Warnings, .. promptWarnings] };
        }

        if (job.Status.IsFinal())
        {
            request.HttpContext.Response.Headers.Remove("Retry-After");
            return new OkObjectResult(resource);
        }

        return new AcceptedResult(location, resource);
    }

    /// <summary>The absolute URL of a job's status resource, beside the submission URL.</summary>
    public static string StatusLocation(HttpRequest request, string jobId)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.Path.Value?.TrimEnd('/') ?? "/api/generations";
        return UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, new PathString(path + "/" + jobId));
    }

    /// <summary>
    /// Adds the new job to its caller's list (<c>GET /api/generations</c>). The job is already stored and queued, so a failure
    /// here costs only the listing entry: it is logged, and the client still gets its 202.
    /// </summary>
    private async Task IndexForCallerAsync(string caller, JobRecord job)
    {
        try
        {
            if (!await callerIndex.AddAsync(caller, new Listing.JobIndexEntry(job.Id, job.CreatedAt), CancellationToken.None).ConfigureAwait(false))
            {
                logger.LogWarning("Job {JobId} is not listed: its caller's index for the day is full", job.Id);
            }
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or Listing.IndexContendedException)
        {
            logger.LogWarning(ex, "Job {JobId} could not be added to its caller's list", job.Id);
        }
    }

    /// <summary>Warnings for prompt words the job's model does not know; none when it publishes no vocabulary.</summary>
    private IReadOnlyList<string> VocabularyWarnings(Core.Routing.DeployedModel deployed, string prompt)
    {
        Models.ModelResource? model;
        try
        {
            model = catalog.Describe(deployed);
        }
        catch (Models.ModelDescriptionException ex)
        {
            logger.LogWarning(ex, "The served model's description cannot be read; the submission gets no vocabulary warnings");
            return [];
        }

        return model?.Vocabulary is { } vocabulary
            ? Models.PromptVocabularyCheck.Warnings(model.Name, Models.PromptVocabularyCheck.UnknownWords(prompt, vocabulary))
            : [];
    }

    private void SetRetryAfter(HttpRequest request)
        => request.HttpContext.Response.Headers.RetryAfter = options.Value.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);

    private InputImage? InspectImage(string field, string? base64, byte[]? part, out ObjectResult? problem)
    {
        problem = null;
        if (base64 is null && part is null)
        {
            return null;
        }

        var inspected = part is not null ? inspector.Inspect(field, part) : inspector.InspectBase64(field, base64!);
        if (inspected.Error is { } error)
        {
            problem = error.Kind switch
            {
                InputImageErrorKind.TooLarge => ProblemResults.PayloadTooLarge(field, error.Message),
                InputImageErrorKind.UnsupportedType => ProblemResults.UnsupportedMediaType(field, error.Message),
                _ => ProblemResults.Validation(field, error.Message),
            };
            return null;
        }

        return inspected.Image;
    }
}
