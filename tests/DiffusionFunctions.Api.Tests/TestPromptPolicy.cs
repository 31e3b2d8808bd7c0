using DiffusionFunctions.Core.Policy;

namespace DiffusionFunctions.Api.Tests;

/// <summary>
/// A stand-in policy for the API tests until the real one is registered: blocks whole words from a fixed list.
/// The API tests only need "blocked or not, with term and category"; the matching itself is tested in Core.
/// </summary>
internal sealed class TestPromptPolicy(params (string Term, string Category)[] terms) : IPromptPolicy
{
    public PromptPolicyVerdict Evaluate(string text)
    {
        var words = text.ToLowerInvariant().Split([' ', ',', '.', '!', '?'], StringSplitOptions.RemoveEmptyEntries);
        var matches = terms.Where(t => words.Contains(t.Term)).Select(t => new PromptPolicyMatch(t.Term, t.Category)).ToList();
        return matches.Count == 0 ? PromptPolicyVerdict.Allowed : new PromptPolicyVerdict(true, matches);
    }
}
