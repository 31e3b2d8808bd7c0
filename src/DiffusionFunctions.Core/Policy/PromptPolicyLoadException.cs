namespace DiffusionFunctions.Core.Policy;

/// <summary>
/// The prompt policy could not be loaded at start-up and there is no last good version to fall back on: the file or
/// blob named by <c>PromptPolicy:Source</c> is missing, unreadable or not a valid policy document. The host must not
/// start without a policy, so this exception ends start-up with a message naming the setting and the reason.
/// </summary>
public sealed class PromptPolicyLoadException : Exception
{
    /// <summary>Creates the exception with a message naming the setting, its value and the reason.</summary>
    public PromptPolicyLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying failure.</summary>
    public PromptPolicyLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no message (prefer the other constructors).</summary>
    public PromptPolicyLoadException()
    {
    }
}
