using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Storage;
using DiffusionFunctions.Core.Workflows;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Api.Batches;

/// <summary>
/// Builds a <see cref="BatchResource"/> from a run's definition and state. Counts of finished items come from the state;
/// the released, unfinished jobs (at most <see cref="WorkflowOptions.MaxInFlightPerRun"/>) are read to tell queued from
/// running; held-back items count as queued. Manifest URLs are short-lived read-only URLs, like result URLs.
/// </summary>
public sealed class BatchResourceFactory(DiffusionJobsClient jobs, ResultUrlSigner signer, IOptions<DiffusionStorageOptions> storage, TimeProvider time)
{
    /// <summary>Builds the resource.</summary>
    public async Task<BatchResource> CreateAsync(WorkflowRunDefinition definition, WorkflowRunState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(state);
        var counts = state.Counts();
        var running = 0;
        for (var i = 0; i < state.Released && i < state.Items.Length; i++)
        {
            if (state.Items[i] == WorkflowItemCodes.Pending
                && await jobs.GetAsync(WorkflowIds.JobIdFor(definition.Id, i), cancellationToken).ConfigureAwait(false) is { Status: JobStatus.Running })
            {
                running++;
            }
        }

        var manifestUrl = state.ManifestBlob is { } manifest ? (await signer.GetReadUriAsync(manifest, cancellationToken).ConfigureAwait(false)).AbsoluteUri : null;
        var summaryUrl = state.SummaryBlob is { } summary ? (await signer.GetReadUriAsync(summary, cancellationToken).ConfigureAwait(false)).AbsoluteUri : null;
        return new BatchResource
        {
            Id = definition.Id,
            Status = state.Status.ToString().ToLowerInvariant(),
            CreatedAt = definition.CreatedAt,
            FinishedAt = state.FinishedAt,
            CancelRequested = state.CancelRequested,
            Counts = new BatchCountsResource(counts.Total, counts.Pending - running, running, counts.Succeeded, counts.Failed, counts.Cancelled, counts.Refused),
            Progress = counts.Total == 0 ? 1 : Math.Round((double)counts.Finished / counts.Total, 4),
            ManifestUrl = manifestUrl,
            SummaryUrl = summaryUrl,
            UrlsExpireAt = manifestUrl is null ? null : time.GetUtcNow() + storage.Value.ResultUrlLifetime,
            Refused = [.. definition.Items.Where(i => !i.IsAccepted).Select(i => new BatchRefusedItemResource(i.Index, i.Refusal!))],
            Items = [.. definition.Items.Where(i => i.IsAccepted).Select(i => new BatchItemResource(i.Index, i.JobId!, ItemStatus(state.Items[i.Index])))],
        };
    }

    private static string ItemStatus(char code) => code switch
    {
        WorkflowItemCodes.Succeeded => "succeeded",
        WorkflowItemCodes.Failed => "failed",
        WorkflowItemCodes.Cancelled => "cancelled",
        _ => "pending",
    };
}
