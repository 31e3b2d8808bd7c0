using System.Text.Json;
using System.Text.Json.Serialization;
using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Policy;
using DiffusionFunctions.Core.Problems;

namespace DiffusionFunctions.Core.Logos;

/// <summary>
/// Why an upload to the logo-requests container was refused: RFC 7807 problem details, written as
/// <c>{name}.rejected.json</c> beside the upload and carried in the run's <c>.Failed</c> event. The <c>type</c> URIs
/// and <c>errors</c> layout are the API's (<see cref="ProblemTypeUris"/>), so one client handles both.
/// </summary>
public sealed record LogoRejection
{
    /// <summary>The problem type URI.</summary>
    public required string Type { get; init; }

    /// <summary>A short, fixed summary of the problem type.</summary>
    public required string Title { get; init; }

    /// <summary>The HTTP status the API would answer the same problem with.</summary>
    public required int Status { get; init; }

    /// <summary>What is wrong, for a person.</summary>
    public required string Detail { get; init; }

    /// <summary>The refused upload: <c>{container}/{name}</c>.</summary>
    public string? Instance { get; init; }

    /// <summary>Per-field messages (validation problems).</summary>
    public Dictionary<string, string[]>? Errors { get; init; }

    /// <summary>The field a single-field problem is about.</summary>
    public string? Field { get; init; }

    /// <summary>The first blocked category (policy problems, unless the policy hides it).</summary>
    public string? Category { get; init; }

    /// <summary>Every blocked category (policy problems, unless the policy hides them).</summary>
    public string[]? Categories { get; init; }

    /// <summary>The matched terms, only with <c>PromptPolicy:RevealMatches=Terms</c>.</summary>
    public IReadOnlyList<PromptPolicyMatch>? Matches { get; init; }

    /// <summary>400 with per-field errors.</summary>
    public static LogoRejection Validation(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return new LogoRejection
        {
            Type = ProblemTypeUris.Validation,
            Title = "The brief is not valid.",
            Status = 400,
            Detail = errors.Summarize(),
            Errors = errors.ToDictionary(),
            Field = errors.FirstField,
        };
    }

    /// <summary>400: the brief is not a JSON object.</summary>
    public static LogoRejection Malformed(ValidationErrors errors)
        => Validation(errors) with { Type = ProblemTypeUris.MalformedBody, Title = "The brief is not a JSON object." };

    /// <summary>413: the upload is larger than accepted.</summary>
    public static LogoRejection TooLarge(string field, string detail) => new()
    {
        Type = ProblemTypeUris.PayloadTooLarge, Title = "The payload is too large.", Status = 413, Detail = detail, Field = field,
    };

    /// <summary>415: the upload is neither a JSON brief nor a PNG, JPEG or WebP sketch.</summary>
    public static LogoRejection UnsupportedType(string field, string detail) => new()
    {
        Type = ProblemTypeUris.UnsupportedMediaType, Title = "The media type is not supported.", Status = 415, Detail = detail, Field = field,
    };

    /// <summary>500: the upload could not be processed in <paramref name="attempts"/> attempts (its queue message was poisoned).</summary>
    public static LogoRejection Unprocessed(int attempts) => new()
    {
        Type = ProblemTypeUris.Internal,
        Title = "The upload could not be processed.",
        Status = 500,
        Detail = $"The upload could not be processed in {attempts} attempts (the worker logs say why); upload it again to retry.",
        Field = "upload",
    };

    /// <summary>422 for blocked terms in <paramref name="field"/>, telling as much as <paramref name="reveal"/> allows (as the API does).</summary>
    public static LogoRejection PolicyViolation(string field, PromptPolicyVerdict verdict, PromptPolicyRevealMatches reveal)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var categories = verdict.Categories();
        return new LogoRejection
        {
            Type = ProblemTypeUris.PolicyViolation,
            Title = "The brief contains blocked terms.",
            Status = 422,
            Detail = verdict.RefusalDetail(field, reveal),
            Field = field,
            Category = reveal == PromptPolicyRevealMatches.None ? null : categories.FirstOrDefault(),
            Categories = reveal == PromptPolicyRevealMatches.None ? null : categories,
            Matches = reveal == PromptPolicyRevealMatches.Terms ? verdict.Matches : null,
        };
    }

    /// <summary>The <c>application/problem+json</c> bytes.</summary>
    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, DiffusionJson.Options);

    /// <summary>Reads a refusal blob back.</summary>
    public static LogoRejection? Parse(BinaryData json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return json.ToObjectFromJson<LogoRejection>(DiffusionJson.Options);
    }
}
