namespace DiffusionFunctions.Core.Policy;

/// <summary>One entry of a policy document: a blocked term, its category and how it is matched.</summary>
/// <param name="Term">The term as written in the document; reported back in <see cref="PromptPolicyMatch.Term"/>.</param>
/// <param name="Category">The category reported with a match (for example "violence").</param>
/// <param name="Match">How the term is matched.</param>
public sealed record PromptPolicyTerm(string Term, string Category, PromptPolicyMatchKind Match)
{
    /// <summary>
    /// The document's optional <c>joined</c>: whether the term also matches joined to other letters (default
    /// <see cref="PromptPolicyJoining.None"/>). A phrase with <c>before</c>, <c>after</c> or <c>both</c> may also have its
    /// words written together.
    /// </summary>
    public PromptPolicyJoining Joined { get; init; } = PromptPolicyJoining.None;

    /// <summary>
    /// The document's optional <c>except</c>: whole words that contain the term joined to other letters but are innocent
    /// ("ashkenazi" for <c>nazi</c> joined on both sides). Only for terms that match inside words (a <c>joined</c> other
    /// than <c>none</c>, or <c>substring</c>); normalised like prompts.
    /// </summary>
    public IReadOnlyList<string> Except { get; init; } = [];

    /// <inheritdoc />
    public bool Equals(PromptPolicyTerm? other) =>
        other is not null && Term == other.Term && Category == other.Category && Match == other.Match && Joined == other.Joined
            && Except.SequenceEqual(other.Except, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Term, Category, Match, Joined, Except.Count);
}
