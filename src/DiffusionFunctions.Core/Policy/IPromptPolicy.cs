namespace DiffusionFunctions.Core.Policy;

/// <summary>
/// Checks text (a prompt, a logo brief) against the blocked-term policy. Thread-safe; the current policy
/// document may be swapped underneath by a reload without callers noticing.
/// </summary>
public interface IPromptPolicy
{
    /// <summary>Evaluates <paramref name="text"/> against the current policy.</summary>
    PromptPolicyVerdict Evaluate(string text);
}

/// <summary>The outcome of a policy check: blocked or not, and every term that matched.</summary>
/// <param name="IsBlocked">True when at least one term matched.</param>
/// <param name="Matches">The matched terms with their categories (distinct, in order of first occurrence).</param>
public sealed record PromptPolicyVerdict(bool IsBlocked, IReadOnlyList<PromptPolicyMatch> Matches)
{
    /// <summary>The verdict for text that matched nothing.</summary>
    public static PromptPolicyVerdict Allowed { get; } = new(false, []);
}

/// <summary>One blocked term found in the text.</summary>
/// <param name="Term">The policy term as written in the policy document.</param>
/// <param name="Category">The policy category of the term (for example "violence").</param>
public sealed record PromptPolicyMatch(string Term, string Category);
