namespace DiffusionFunctions.Api.Listing;

/// <summary>Every conditional write of a caller's day index lost a race; the job exists but is not listed.</summary>
public sealed class IndexContendedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IndexContendedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public IndexContendedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public IndexContendedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a job.</summary>
    public IndexContendedException(string jobId, int attempts)
        : base($"Job {jobId} could not be added to its caller's index: {attempts} conditional writes in a row lost a race.")
    {
    }
}
