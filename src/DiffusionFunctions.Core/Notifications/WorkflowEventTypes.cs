using DiffusionFunctions.Core.Workflows;

namespace DiffusionFunctions.Core.Notifications;

/// <summary>CloudEvent type names and subjects of finished workflow runs (one event per run).</summary>
public static class WorkflowEventTypes
{
    /// <summary>Every item finished and at least one produced images.</summary>
    public const string Completed = "DiffusionFunctions.Workflow.Completed";

    /// <summary>Every item finished and none produced images, or the run was cancelled.</summary>
    public const string Failed = "DiffusionFunctions.Workflow.Failed";

    /// <summary>The CloudEvent source of run events.</summary>
    public const string Source = "/diffusionfunctions/workflows";

    /// <summary>The event type of a final run status.</summary>
    public static string ForStatus(WorkflowRunStatus status) => status switch
    {
        WorkflowRunStatus.Completed => Completed,
        WorkflowRunStatus.Failed or WorkflowRunStatus.Cancelled => Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Only final run states have events."),
    };

    /// <summary>The subject of a run: <c>workflows/{kind}/{id}</c>.</summary>
    public static string SubjectFor(string kind, string runId) => $"workflows/{kind}/{runId}";

    /// <summary>The event id of a run's completion: <c>{runId}-{status}</c> (stable, so receivers can drop duplicates).</summary>
    public static string EventIdFor(string runId, WorkflowRunStatus status) => runId + "-" + status.ToString().ToLowerInvariant();
}
