namespace DiffusionFunctions.Worker.Processing;

/// <summary>
/// A job that can never succeed however often it is retried (unknown scheduler, invalid size, blocked prompt): the
/// processor fails it at once with <see cref="Code"/> and the message, and completes the queue message.
/// </summary>
public sealed class NonRetryableGenerationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NonRetryableGenerationException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        Code = code;
    }

    /// <summary>Creates the exception with the code <c>invalid-request</c>.</summary>
    public NonRetryableGenerationException()
        : this(JobErrorCodes.InvalidRequest, "The request cannot be processed.")
    {
    }

    /// <summary>Creates the exception with the code <c>invalid-request</c>.</summary>
    public NonRetryableGenerationException(string message)
        : this(JobErrorCodes.InvalidRequest, message)
    {
    }

    /// <summary>Creates the exception with the code <c>invalid-request</c>.</summary>
    public NonRetryableGenerationException(string message, Exception innerException)
        : this(JobErrorCodes.InvalidRequest, message, innerException)
    {
    }

    /// <summary>The job error code.</summary>
    public string Code { get; }
}
