using DiffusionFunctions.Core.Jobs;

namespace DiffusionFunctions.Core.Notifications;

/// <summary>CloudEvent type names and subjects for finished jobs.</summary>
public static class GenerationEventTypes
{
    /// <summary>The job produced its images.</summary>
    public const string Succeeded = "DiffusionFunctions.Generation.Succeeded";

    /// <summary>The job failed.</summary>
    public const string Failed = "DiffusionFunctions.Generation.Failed";

    /// <summary>The job was cancelled.</summary>
    public const string Cancelled = "DiffusionFunctions.Generation.Cancelled";

    /// <summary>The CloudEvent source the apps use.</summary>
    public const string Source = "/diffusionfunctions/generations";

    /// <summary>The event type for a final <paramref name="status"/>.</summary>
    public static string ForStatus(JobStatus status) => status switch
    {
        JobStatus.Succeeded => Succeeded,
        JobStatus.Failed => Failed,
        JobStatus.Cancelled => Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Only final states have events."),
    };

    /// <summary>The CloudEvent subject of a job: <c>generations/{id}</c>.</summary>
    public static string SubjectFor(string jobId) => "generations/" + jobId;
}
