using System.Text.Json;

namespace DiffusionFunctions.Core.Jobs;

/// <summary>
/// A job's stored record exists but cannot be read as a job: not JSON, not a job record, or a record of another id.
/// Thrown by every read of <see cref="DiffusionJobsClient"/> instead of the serializer's exception, so that callers can
/// answer it deliberately (the API: 500 <c>job-record-unreadable</c>). It is a <see cref="JsonException"/>, so handlers
/// written against the serializer's exception keep catching it.
/// </summary>
public sealed class JobRecordUnreadableException : JsonException
{
    /// <summary>Creates the exception for <paramref name="jobId"/>; <paramref name="reason"/> and the inner exception say why (for logs only).</summary>
    public JobRecordUnreadableException(string jobId, string reason, Exception? innerException = null)
        : base($"The record of job '{jobId}' cannot be read: {reason}", innerException)
    {
        JobId = jobId;
    }

    /// <summary>For serialization frameworks; use the other constructor.</summary>
    public JobRecordUnreadableException()
        : this(string.Empty, "unknown reason")
    {
    }

    /// <summary>For serialization frameworks; use the other constructor.</summary>
    public JobRecordUnreadableException(string message)
        : base(message)
    {
        JobId = string.Empty;
    }

    /// <summary>For serialization frameworks; use the other constructor.</summary>
    public JobRecordUnreadableException(string message, Exception innerException)
        : base(message, innerException)
    {
        JobId = string.Empty;
    }

    /// <summary>The job whose record is unreadable.</summary>
    public string JobId { get; }
}
