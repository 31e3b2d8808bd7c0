using System.Text.Json.Serialization;

namespace DiffusionFunctions.Core.Workflows;

/// <summary>The life-cycle state of a workflow run. Completed, failed and cancelled are final.</summary>
public enum WorkflowRunStatus
{
    /// <summary>Some items have not finished.</summary>
    [JsonStringEnumMemberName("running")]
    Running,

    /// <summary>Every item finished and at least one produced images; the manifest is written.</summary>
    [JsonStringEnumMemberName("completed")]
    Completed,

    /// <summary>Every item finished and none produced images (all refused, failed or cancelled); the manifest is written.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>The client cancelled the run; every item finished (unfinished ones cancelled); the manifest is written.</summary>
    [JsonStringEnumMemberName("cancelled")]
    Cancelled,
}

/// <summary>The per-item codes of <see cref="WorkflowRunState.Items"/>.</summary>
public static class WorkflowItemCodes
{
    /// <summary>Not finished (queued, running, or not yet released to the queue).</summary>
    public const char Pending = '.';

    /// <summary>The job succeeded.</summary>
    public const char Succeeded = 's';

    /// <summary>The job failed.</summary>
    public const char Failed = 'f';

    /// <summary>The job was cancelled.</summary>
    public const char Cancelled = 'c';

    /// <summary>The item was refused at submission; it has no job.</summary>
    public const char Refused = 'r';

    /// <summary>The code of a finished job's status.</summary>
    public static char ForJob(Jobs.JobStatus status) => status switch
    {
        Jobs.JobStatus.Succeeded => Succeeded,
        Jobs.JobStatus.Failed => Failed,
        Jobs.JobStatus.Cancelled => Cancelled,
        _ => Pending,
    };
}
