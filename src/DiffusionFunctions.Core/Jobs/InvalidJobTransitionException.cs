namespace DiffusionFunctions.Core.Jobs;

/// <summary>Thrown when a job is asked to move to a state its current state does not allow (a finished job never runs again).</summary>
public sealed class InvalidJobTransitionException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="jobId"/> moving from <paramref name="from"/> by <paramref name="action"/>.</summary>
    public InvalidJobTransitionException(string jobId, JobStatus from, string action)
        : base($"Job '{jobId}' is {from.ToWireName()} and cannot be {action}.")
    {
        JobId = jobId;
        From = from;
        Action = action;
    }

    /// <summary>The job.</summary>
    public string JobId { get; }

    /// <summary>The state it was in.</summary>
    public JobStatus From { get; }

    /// <summary>What was attempted (for example "marked running").</summary>
    public string Action { get; }
}
