using DiffusionFunctions.Core.Jobs;

namespace DiffusionFunctions.Core.Workflows;

/// <summary>One item of a finished run with its job record (null for a refused item).</summary>
/// <param name="Item">The item as defined.</param>
/// <param name="Job">Its finished job, or null when it was refused.</param>
public sealed record WorkflowItemOutcome(WorkflowItem Item, JobRecord? Job);

/// <summary>Where a kind's manifest was written (blob names in the results container).</summary>
/// <param name="ManifestBlob">The manifest.</param>
/// <param name="SummaryBlob">The summary, when the kind writes one.</param>
public sealed record WorkflowManifest(string ManifestBlob, string? SummaryBlob);

/// <summary>
/// The part of a workflow kind that runs at fan-in: writes the run's manifest (and any output layout of its own, such as
/// copies of the images under a prefix) once every item has finished. It must be idempotent (the same outcomes write the
/// same blobs), since a crash or a concurrent delivery may run it more than once for one run. Register one per kind in
/// the worker (<c>services.AddSingleton&lt;IWorkflowManifestWriter, MyWriter&gt;()</c>); <see cref="Kind"/> matches
/// <see cref="WorkflowRunDefinition.Kind"/>.
/// </summary>
public interface IWorkflowManifestWriter
{
    /// <summary>The workflow kind this writer serves.</summary>
    string Kind { get; }

    /// <summary>Writes the manifest of <paramref name="run"/> from its items' outcomes (index order).</summary>
    Task<WorkflowManifest> WriteAsync(WorkflowRunDefinition run, WorkflowRunStatus status, IReadOnlyList<WorkflowItemOutcome> outcomes, CancellationToken cancellationToken);
}
