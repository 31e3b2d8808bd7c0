namespace DiffusionFunctions.Core.Policy;

/// <summary>
/// A policy document that is not valid: malformed JSON, an unknown version, an empty or duplicate term, an unknown
/// match kind, or a property the format does not define. The message names the source and the offending entry.
/// </summary>
public sealed class PromptPolicyFormatException : Exception
{
    /// <summary>Creates the exception with a message naming the source and the offending entry.</summary>
    public PromptPolicyFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the parser error underneath.</summary>
    public PromptPolicyFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no message (prefer the other constructors).</summary>
    public PromptPolicyFormatException()
    {
    }
}
