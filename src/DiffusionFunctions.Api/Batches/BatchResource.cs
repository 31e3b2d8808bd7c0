using DiffusionFunctions.Core.Workflows;

namespace DiffusionFunctions.Api.Batches;

/// <summary>The body of <c>GET /api/batches/{id}</c> (and of the 202 that accepted it).</summary>
public sealed record BatchResource
{
    /// <summary>The batch id.</summary>
    public required string Id { get; init; }

    /// <summary><c>running</c>, <c>completed</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    public required string Status { get; init; }

    /// <summary>When it was accepted.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When every item had finished.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The client asked to cancel it.</summary>
    public bool CancelRequested { get; init; }

    /// <summary>Items per state.</summary>
    public required BatchCountsResource Counts { get; init; }

    /// <summary>Finished items (refused ones included) over all items, 0 to 1.</summary>
    public required double Progress { get; init; }

    /// <summary>A read-only URL of the manifest (JSONL, one line per image) once the batch finished; expires like result URLs.</summary>
    public string? ManifestUrl { get; init; }

    /// <summary>A read-only URL of the summary JSON once the batch finished.</summary>
    public string? SummaryUrl { get; init; }

    /// <summary>When the URLs stop working.</summary>
    public DateTimeOffset? UrlsExpireAt { get; init; }

    /// <summary>Items refused at submission, each with its problem details.</summary>
    public IReadOnlyList<BatchRefusedItemResource> Refused { get; init; } = [];

    /// <summary>The jobs of the batch by item index (refused items have none): <c>GET /api/generations/{jobId}</c> shows one.</summary>
    public IReadOnlyList<BatchItemResource> Items { get; init; } = [];
}

/// <summary>Item counts of a batch.</summary>
public sealed record BatchCountsResource(int Total, int Queued, int Running, int Succeeded, int Failed, int Cancelled, int Refused);

/// <summary>A refused item.</summary>
/// <param name="Item">Its index.</param>
/// <param name="Problem">Why (RFC 7807 problem details).</param>
public sealed record BatchRefusedItemResource(int Item, WorkflowItemRefusal Problem);

/// <summary>An accepted item and its job.</summary>
/// <param name="Item">Its index.</param>
/// <param name="JobId">Its job.</param>
/// <param name="Status">The item's state as the batch recorded it (<c>pending</c> until its job finished).</param>
public sealed record BatchItemResource(int Item, string JobId, string Status);
