namespace DiffusionFunctions.Core.Jobs;

/// <summary>Thrown by job store updates when no record exists for the id.</summary>
public sealed class JobNotFoundException(string jobId)
    : InvalidOperationException($"No job record exists for id '{jobId}'.")
{
    /// <summary>The id that was not found.</summary>
    public string JobId { get; } = jobId;
}
