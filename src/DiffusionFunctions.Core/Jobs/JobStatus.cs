using System.Text.Json.Serialization;

namespace DiffusionFunctions.Core.Jobs;

/// <summary>The life-cycle state of a generation job. Succeeded, failed and cancelled are final.</summary>
public enum JobStatus
{
    /// <summary>Accepted and waiting in the queue.</summary>
    [JsonStringEnumMemberName("queued")]
    Queued,

    /// <summary>A worker is generating.</summary>
    [JsonStringEnumMemberName("running")]
    Running,

    /// <summary>Finished with images (some may have been withheld).</summary>
    [JsonStringEnumMemberName("succeeded")]
    Succeeded,

    /// <summary>Finished with an error.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Cancelled by the client.</summary>
    [JsonStringEnumMemberName("cancelled")]
    Cancelled,
}

/// <summary>Helpers for <see cref="JobStatus"/>.</summary>
public static class JobStatusExtensions
{
    /// <summary>True for succeeded, failed and cancelled: states a job never leaves.</summary>
    public static bool IsFinal(this JobStatus status) => status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;

    /// <summary>The wire name (<c>queued</c>, <c>running</c>, ...).</summary>
    public static string ToWireName(this JobStatus status) => status switch
    {
        JobStatus.Queued => "queued",
        JobStatus.Running => "running",
        JobStatus.Succeeded => "succeeded",
        JobStatus.Failed => "failed",
        JobStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown job status."),
    };
}
