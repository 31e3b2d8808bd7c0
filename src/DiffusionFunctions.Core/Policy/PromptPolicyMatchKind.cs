namespace DiffusionFunctions.Core.Policy;

/// <summary>How a policy term is matched against normalised text (the document's <c>match</c> field).</summary>
public enum PromptPolicyMatchKind
{
    /// <summary>
    /// <c>word</c>: the term must be a whole word of the normalised text (a simple plural, <c>s</c> or <c>es</c>, is also
    /// caught). "gore" blocks "g0re" and "gores" but not "gorgeous".
    /// </summary>
    Word,

    /// <summary>
    /// <c>phrase</c>: several whole words in order, separated in the text by any run of spaces or punctuation
    /// ("self harm" blocks "self-harm" and "SELF   HARM"); a simple plural on the last word is also caught.
    /// </summary>
    Phrase,

    /// <summary>
    /// <c>substring</c>: anywhere, even inside a longer word ("porn" blocks "pornographic"). Use only for stems that
    /// occur in no innocent word.
    /// </summary>
    Substring,
}
