namespace DiffusionFunctions.Core.Policy;

/// <summary>One entry of a policy document: a blocked term, its category and how it is matched.</summary>
/// <param name="Term">The term as written in the document; reported back in <see cref="PromptPolicyMatch.Term"/>.</param>
/// <param name="Category">The category reported with a match (for example "violence").</param>
/// <param name="Match">How the term is matched.</param>
public sealed record PromptPolicyTerm(string Term, string Category, PromptPolicyMatchKind Match);
