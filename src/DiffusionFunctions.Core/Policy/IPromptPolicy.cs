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

    /// <summary>The distinct categories of the matches, in order of first occurrence.</summary>
    public string[] Categories() => [.. Matches.Select(m => m.Category).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// What a refusal of <paramref name="field"/> says (RFC 7807 <c>detail</c>), telling as much as <paramref name="reveal"/>
    /// allows: the categories and terms, the categories, or only that terms were blocked.
    /// </summary>
    public string RefusalDetail(string field, PromptPolicyRevealMatches reveal) => reveal switch
    {
        PromptPolicyRevealMatches.Terms => $"{field} contains terms blocked by the content policy ({string.Join(", ", Categories())}): "
            + string.Join(", ", Matches.Select(m => m.Term)) + ".",
        PromptPolicyRevealMatches.Category => $"{field} contains terms blocked by the content policy ({string.Join(", ", Categories())}).",
        _ => $"{field} contains terms blocked by the content policy.",
    };
}

/// <summary>One blocked term found in the text.</summary>
/// <param name="Term">The policy term as written in the policy document.</param>
/// <param name="Category">The policy category of the term (for example "violence").</param>
public sealed record PromptPolicyMatch(string Term, string Category);
