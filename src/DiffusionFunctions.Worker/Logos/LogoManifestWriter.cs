using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DiffusionFunctions.Core;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Logos;
using DiffusionFunctions.Core.Storage;
using DiffusionFunctions.Core.Workflows;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Logos;

/// <summary>
/// The logo kind's fan-in step, called by the workflow core once every logo's job has finished: copies each logo from its
/// job's result blob to <c>logos/{brief name}/{index}.png</c> and writes <c>logos/{brief name}/manifest.json</c> (both in
/// the results container). A refused upload's run (its <c>{name}.rejected.json</c> was written when it was refused) gets a
/// manifest with no logos that holds the refusal, so the <c>.Failed</c> event's <c>manifestUrl</c> always names a manifest.
/// Idempotent: the same outcomes write the same blobs.
/// </summary>
public sealed class LogoManifestWriter(
    BlobServiceClient blobService,
    ResultUrlSigner urls,
    IOptions<DiffusionStorageOptions> storage,
    TimeProvider time) : IWorkflowManifestWriter
{
    /// <summary>The manifest's file name under the run's output prefix.</summary>
    public const string ManifestFileName = "manifest.json";

    /// <inheritdoc />
    public string Kind => LogoRunProperties.Kind;

    /// <inheritdoc />
    public async Task<WorkflowManifest> WriteAsync(
        WorkflowRunDefinition run, WorkflowRunStatus status, IReadOnlyList<WorkflowItemOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(outcomes);
        var prefix = run.Properties[LogoRunProperties.OutputPrefix];
        var rejection = run.Properties.ContainsKey(LogoRunProperties.Rejected) ? run.Items[0].Refusal : null;

        var results = blobService.GetBlobContainerClient(storage.Value.ResultsContainer);
        var entries = new List<LogoManifestEntry>(outcomes.Count);
        foreach (var outcome in outcomes.Where(o => o.Item.IsAccepted))
        {
            var job = outcome.Job;
            var parameters = outcome.Item.Parameters!;
            string? blob = null;
            if (job is { Status: JobStatus.Succeeded, Results.Count: > 0 })
            {
                blob = $"{prefix}/{outcome.Item.Index}.png";
                var image = await results.GetBlobClient(job.Results[0]).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
                await results.GetBlobClient(blob).UploadAsync(
                    image.Value.Content,
                    new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "image/png" } },
                    cancellationToken).ConfigureAwait(false);
            }

            entries.Add(new LogoManifestEntry
            {
                Index = outcome.Item.Index,
                JobId = outcome.Item.JobId!,
                Status = job?.Status.ToWireName() ?? "refused",
                Prompt = parameters.Prompt,
                Seed = parameters.Seed,
                Parameters = parameters,
                Blob = blob,
                Url = blob is null ? null : urls.GetBlobUri(blob),
                Error = blob is not null ? null : job?.Error?.Message ?? (job?.WithheldCount > 0 ? "The image was withheld by the safety checker." : null),
            });
        }

        var manifest = new LogoManifest
        {
            RunId = run.Id,
            Status = status,
            Brief = new LogoManifestBrief(
                run.Properties[LogoRunProperties.Container],
                run.Properties[LogoRunProperties.Upload],
                run.Properties.GetValueOrDefault(LogoRunProperties.BriefHash),
                run.Properties.GetValueOrDefault(LogoRunProperties.Identity),
                run.Properties.GetValueOrDefault(LogoRunProperties.UploadKind),
                run.Properties.GetValueOrDefault(LogoRunProperties.Sidecar)),
            Template = run.Properties.GetValueOrDefault(LogoRunProperties.Template),
            Logos = entries,
            Rejection = rejection,
            CreatedAt = run.CreatedAt,
            FinishedAt = time.GetUtcNow(),
        };
        var manifestBlob = $"{prefix}/{ManifestFileName}";
        await results.GetBlobClient(manifestBlob).UploadAsync(
            BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(manifest, DiffusionJson.Options)),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken).ConfigureAwait(false);
        return new WorkflowManifest(manifestBlob, null);
    }
}
