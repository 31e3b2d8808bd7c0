namespace DiffusionFunctions.Cli.Commands;

/// <summary>Bad input on the command line or in what it names: printed as one line, exit code 2.</summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UsageException()
    {
    }

    /// <summary>Creates the exception with the one-line message to print.</summary>
    public UsageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
