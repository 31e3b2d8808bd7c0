using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Policy;
using DiffusionFunctions.Core.Problems;

namespace DiffusionFunctions.Core.Workflows;

/// <summary>
/// Why a workflow item was refused before any job was made for it, as RFC 7807 problem details (the same <c>type</c>,
/// <c>status</c> and per-field <c>errors</c> that <c>POST /api/generations</c> would have answered for that request).
/// </summary>
public sealed record WorkflowItemRefusal
{
    /// <summary>The problem type URI (<see cref="ProblemTypeUris"/>).</summary>
    public required string Type { get; init; }

    /// <summary>A short, fixed summary of the problem type.</summary>
    public required string Title { get; init; }

    /// <summary>The HTTP status the same request would have got (400, 422).</summary>
    public required int Status { get; init; }

    /// <summary>What is wrong, in words.</summary>
    public required string Detail { get; init; }

    /// <summary>Per-field messages (validation problems).</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    /// <summary>The blocked-term categories (policy problems, when the policy reveals them).</summary>
    public IReadOnlyList<string>? Categories { get; init; }

    /// <summary>A refusal for field errors (<paramref name="malformed"/>: the item is not a JSON object at all).</summary>
    public static WorkflowItemRefusal FromValidation(ValidationErrors errors, bool malformed = false)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return new WorkflowItemRefusal
        {
            Type = malformed ? ProblemTypeUris.MalformedBody : ProblemTypeUris.Validation,
            Title = malformed ? "The item is not a JSON object." : "The item is not valid.",
            Status = 400,
            Detail = errors.Summarize(),
            Errors = errors.ToDictionary(),
        };
    }

    /// <summary>A refusal for a prompt with blocked terms; what it reveals follows <paramref name="reveal"/> as on HTTP.</summary>
    public static WorkflowItemRefusal FromPolicy(PromptPolicyVerdict verdict, PromptPolicyRevealMatches reveal)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var categories = verdict.Categories();
        return new WorkflowItemRefusal
        {
            Type = ProblemTypeUris.PolicyViolation,
            Title = "The prompt contains blocked terms.",
            Status = 422,
            // An item's refusal names categories at most, never the terms.
            Detail = verdict.RefusalDetail("prompt", reveal == PromptPolicyRevealMatches.None ? PromptPolicyRevealMatches.None : PromptPolicyRevealMatches.Category),
            Categories = reveal == PromptPolicyRevealMatches.None ? null : categories,
        };
    }
}
