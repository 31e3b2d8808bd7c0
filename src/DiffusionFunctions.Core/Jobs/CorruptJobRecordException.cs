namespace DiffusionFunctions.Core.Jobs;

/// <summary>
/// Thrown by job store reads when a record exists but cannot be read as a job (not JSON, not a job, empty). No retry can
/// fix it: the worker drops the job's messages with an error log naming the job, and the record stays in place for an
/// operator to inspect; the API answers reads of it with a stable 500 problem.
/// </summary>
public sealed class CorruptJobRecordException(string jobId, string reason, Exception? innerException = null)
    : InvalidOperationException($"The record of job '{jobId}' is corrupt: {reason}", innerException)
{
    /// <summary>The job whose record is corrupt.</summary>
    public string JobId { get; } = jobId;

    /// <summary>What is wrong with it (for logs; not for clients).</summary>
    public string Reason { get; } = reason;
}
