namespace DiffusionFunctions.Core.Workflows;

/// <summary>
/// An upload container that starts workflow runs, and the queue its <c>BlobCreated</c> events (Event Grid schema) go to.
/// In the cloud an Event Grid subscription on the storage account delivers them (see <c>bicep/modules/eventSubscriptions.bicep</c>);
/// the in-process local run has no Event Grid, so its upload watcher lists these containers and enqueues the same message
/// for every new blob (name and ETag) whose name <see cref="Accepts"/>. Register one per kind in the worker.
/// </summary>
/// <param name="Container">The upload container.</param>
/// <param name="Queue">The queue its events arrive on.</param>
/// <param name="Suffixes">Blob name endings that start a run (case-insensitive); others (answers written beside them) are not events.</param>
public sealed record WorkflowUploadTrigger(string Container, string Queue, IReadOnlyList<string> Suffixes)
{
    /// <summary>True when a blob of this name starts a run.</summary>
    public bool Accepts(string blobName) => Suffixes.Any(s => blobName.EndsWith(s, StringComparison.OrdinalIgnoreCase));
}
