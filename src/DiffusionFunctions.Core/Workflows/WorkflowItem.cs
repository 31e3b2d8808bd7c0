using System.Text.Json;
using DiffusionFunctions.Core.Generation;

namespace DiffusionFunctions.Core.Workflows;

/// <summary>
/// One item of a workflow run: either the parameters of the ordinary generation job it becomes (<see cref="JobId"/>,
/// derived from the run id and the index) or the refusal that kept it from becoming one. <see cref="Labels"/> is the
/// caller's own small JSON object, carried through to the manifest untouched.
/// </summary>
public sealed record WorkflowItem
{
    /// <summary>The item's position in the run (0-based, as submitted).</summary>
    public required int Index { get; init; }

    /// <summary>The job of an accepted item (<see cref="WorkflowIds.JobIdFor"/>); null for a refused one.</summary>
    public string? JobId { get; init; }

    /// <summary>The job's parameters (seed resolved) of an accepted item.</summary>
    public GenerationParameters? Parameters { get; init; }

    /// <summary>Why the item was refused; null for an accepted one.</summary>
    public WorkflowItemRefusal? Refusal { get; init; }

    /// <summary>The caller's labels (a JSON object), or null.</summary>
    public JsonElement? Labels { get; init; }

    /// <summary>True when a job was made for the item.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsAccepted => Refusal is null && JobId is not null;

    /// <summary>An accepted item of <paramref name="runId"/>.</summary>
    public static WorkflowItem Accepted(string runId, int index, GenerationParameters parameters, JsonElement? labels = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new WorkflowItem { Index = index, JobId = WorkflowIds.JobIdFor(runId, index), Parameters = parameters, Labels = labels };
    }

    /// <summary>A refused item.</summary>
    public static WorkflowItem Refused(int index, WorkflowItemRefusal refusal, JsonElement? labels = null)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return new WorkflowItem { Index = index, Refusal = refusal, Labels = labels };
    }
}
