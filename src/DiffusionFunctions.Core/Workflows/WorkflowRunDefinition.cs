using DiffusionFunctions.Core.Jobs;

namespace DiffusionFunctions.Core.Workflows;

/// <summary>
/// What a workflow run is made of, written once when it starts (<c>runs/{id}/definition.json</c> in the jobs container)
/// and never changed: the kind (which names its manifest writer), the items, where the run came from and where its
/// completion event goes. The run's progress is in <see cref="WorkflowRunState"/>.
/// </summary>
public sealed record WorkflowRunDefinition
{
    /// <summary>The run id (32 lowercase hex digits, <see cref="WorkflowIds"/>).</summary>
    public required string Id { get; init; }

    /// <summary>The workflow kind (<c>batch</c>, <c>logo</c>): picks the <see cref="IWorkflowManifestWriter"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>When the run was started.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Where it came from, in words (<c>api</c>, <c>blob batch-requests/catalog.jsonl (etag ...)</c>).</summary>
    public string? Source { get; init; }

    /// <summary>An absolute URL the completion event is POSTed to as a signed webhook, if any.</summary>
    public string? CallbackUrl { get; init; }

    /// <summary>Kind-specific facts the manifest writer needs (a brief's name and hash, an output prefix); small strings.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>The items, in index order.</summary>
    public required IReadOnlyList<WorkflowItem> Items { get; init; }

    /// <summary>Checks the invariants the fan-in relies on (ids, indexes 0..n-1 in order, job ids derived from the run id).</summary>
    public void Validate()
    {
        JobIds.ThrowIfInvalid(Id, nameof(Id));
        ArgumentException.ThrowIfNullOrWhiteSpace(Kind);
        for (var i = 0; i < Items.Count; i++)
        {
            var item = Items[i];
            if (item.Index != i)
            {
                throw new ArgumentException($"Item {i} of run {Id} has index {item.Index}; items must be in index order from 0.", nameof(Items));
            }

            if (item.Refusal is null && (item.Parameters is null || item.JobId != WorkflowIds.JobIdFor(Id, i)))
            {
                throw new ArgumentException($"Item {i} of run {Id} is accepted but lacks parameters or its derived job id.", nameof(Items));
            }
        }
    }
}
