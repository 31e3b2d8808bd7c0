namespace DiffusionFunctions.Core.Policy;

/// <summary>
/// How much a refusal tells the client about what matched (<c>PromptPolicy:RevealMatches</c>). Naming the matched terms
/// lets a client enumerate the list by probing; naming only the category tells a user what to change without that.
/// </summary>
public enum PromptPolicyRevealMatches
{
    /// <summary><c>Category</c> (the default): the categories of the matches, never the terms.</summary>
    Category,

    /// <summary><c>Terms</c>: the matched terms and their categories (for trusted clients and debugging).</summary>
    Terms,

    /// <summary><c>None</c>: only that the prompt is blocked.</summary>
    None,
}
