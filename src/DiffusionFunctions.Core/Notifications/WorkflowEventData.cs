using DiffusionFunctions.Core.Workflows;

namespace DiffusionFunctions.Core.Notifications;

/// <summary>
/// The <c>data</c> of a workflow CloudEvent: the run, its final status, its counts and plain (unsigned) URLs of its
/// manifest and summary blobs in the results container (receivers without access ask the kind's status endpoint, such
/// as <c>GET /api/batches/{id}</c>, for short-lived ones).
/// </summary>
public sealed record WorkflowEventData
{
    /// <summary>The run id.</summary>
    public required string RunId { get; init; }

    /// <summary>The workflow kind (<c>batch</c>, <c>logo</c>).</summary>
    public required string Kind { get; init; }

    /// <summary>The final status (<c>completed</c>, <c>failed</c>, <c>cancelled</c>).</summary>
    public required WorkflowRunStatus Status { get; init; }

    /// <summary>Item counts per state.</summary>
    public required WorkflowRunCounts Counts { get; init; }

    /// <summary>The manifest's blob URL.</summary>
    public string? ManifestUrl { get; init; }

    /// <summary>The summary's blob URL, when the kind writes one.</summary>
    public string? SummaryUrl { get; init; }

    /// <summary>The run's kind-specific properties (a brief's name, an upload's blob name).</summary>
    public IReadOnlyDictionary<string, string>? Properties { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? FinishedAt { get; init; }
}
