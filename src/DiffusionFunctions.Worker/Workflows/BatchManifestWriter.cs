using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DiffusionFunctions.Core;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Storage;
using DiffusionFunctions.Core.Workflows;
using DiffusionFunctions.Core.Workflows.Batches;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Workflows;

/// <summary>
/// The batch kind's manifest, a data set: <c>batches/{runId}/manifest.jsonl</c> in the results container with one line per
/// image (<see cref="BatchManifestLine"/>: prompt, negative prompt, seed, parameters, labels, blob name, SHA-256 of the
/// stored PNG), and <c>batches/{runId}/summary.json</c> (<see cref="BatchSummary"/>: status, counts, and every item that
/// produced no image with its refusal or error, item by item). Idempotent: the same outcomes write the same bytes.
/// </summary>
public sealed class BatchManifestWriter(BlobServiceClient blobService, IOptions<DiffusionStorageOptions> storage, IOptions<WorkflowOptions> options) : IWorkflowManifestWriter
{
    private static readonly JsonSerializerOptions LineJson = new(DiffusionJson.Options) { WriteIndented = false };
    private readonly BlobContainerClient _results = blobService.GetBlobContainerClient(storage.Value.ResultsContainer);

    /// <inheritdoc />
    public string Kind => BatchOptions.Kind;

    /// <summary>The manifest's blob name.</summary>
    public static string ManifestBlobName(string runId) => $"batches/{runId}/manifest.jsonl";

    /// <summary>The summary's blob name.</summary>
    public static string SummaryBlobName(string runId) => $"batches/{runId}/summary.json";

    /// <inheritdoc />
    public async Task<WorkflowManifest> WriteAsync(WorkflowRunDefinition run, WorkflowRunStatus status, IReadOnlyList<WorkflowItemOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(outcomes);
        var images = outcomes
            .Where(o => o.Job is { Status: JobStatus.Succeeded })
            .SelectMany(o => o.Job!.Results.Select(blob => (Outcome: o, Blob: blob)))
            .ToList();
        var hashes = new string[images.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, images.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.StorageConcurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                // The worker records each PNG's hash with the job; a record without them (an older worker) is read back.
                var (outcome, blob) = images[i];
                var recorded = outcome.Job!.ResultSha256;
                var position = outcome.Job.Results.ToList().IndexOf(blob);
                if (recorded is not null && position < recorded.Count)
                {
                    hashes[i] = recorded[position];
                    return;
                }

                var content = await _results.GetBlobClient(blob).DownloadContentAsync(ct).ConfigureAwait(false);
                hashes[i] = Convert.ToHexStringLower(SHA256.HashData(content.Value.Content.ToMemory().Span));
            }).ConfigureAwait(false);

        var manifest = new StringBuilder();
        for (var i = 0; i < images.Count; i++)
        {
            var (outcome, blob) = images[i];
            var job = outcome.Job!;
            var imageIndex = ImageIndex(blob);
            var p = job.Parameters;
            var line = new BatchManifestLine(
                outcome.Item.Index, job.Id, imageIndex, blob, hashes[i], p.Prompt, p.NegativePrompt, p.Seed + imageIndex,
                new BatchImageParameters(p.Width, p.Height, p.Steps, p.GuidanceScale, p.Scheduler, Core.Generation.GenerationModeNames.ToName(p.Mode), job.Model),
                outcome.Item.Labels);
            manifest.Append(JsonSerializer.Serialize(line, LineJson)).Append('\n');
        }

        var manifestBlob = ManifestBlobName(run.Id);
        await UploadAsync(manifestBlob, Encoding.UTF8.GetBytes(manifest.ToString()), "application/x-ndjson", cancellationToken).ConfigureAwait(false);

        var counts = WorkflowRunCounts.FromCodes(new string([.. outcomes.Select(o => o.Job is { } j ? WorkflowItemCodes.ForJob(j.Status) : WorkflowItemCodes.Refused)]));
        var problems = outcomes
            .Where(o => o.Job is not { Status: JobStatus.Succeeded })
            .Select(o => new BatchItemProblem(
                o.Item.Index,
                o.Job is { } j ? j.Status.ToWireName() : "refused",
                o.Job?.Id,
                o.Item.Refusal,
                o.Job?.Error,
                o.Item.Labels))
            .ToList();
        var summary = new BatchSummary(run.Id, run.Kind, status, counts, images.Count, manifestBlob, run.CreatedAt, run.Source, problems);
        var summaryBlob = SummaryBlobName(run.Id);
        await UploadAsync(summaryBlob, JsonSerializer.SerializeToUtf8Bytes(summary, DiffusionJson.Options), "application/json", cancellationToken).ConfigureAwait(false);
        return new WorkflowManifest(manifestBlob, summaryBlob);
    }

    private static int ImageIndex(string blob)
    {
        var slash = blob.LastIndexOf('/');
        var dot = blob.LastIndexOf('.');
        return slash >= 0 && dot > slash && int.TryParse(blob.AsSpan(slash + 1, dot - slash - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : 0;
    }

    private Task UploadAsync(string name, byte[] content, string contentType, CancellationToken cancellationToken)
        => _results.GetBlobClient(name).UploadAsync(
            new BinaryData(content),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } },
            cancellationToken);
}

/// <summary>One image of a batch manifest (one JSONL line).</summary>
/// <param name="Item">The item's index in the batch.</param>
/// <param name="JobId">The job that made it.</param>
/// <param name="Image">The image's index within its job.</param>
/// <param name="Blob">The PNG's blob name in the results container.</param>
/// <param name="Sha256">SHA-256 (hex) of the stored PNG's bytes.</param>
/// <param name="Prompt">The prompt.</param>
/// <param name="NegativePrompt">The negative prompt, if any.</param>
/// <param name="Seed">This image's seed (the job's seed plus the image index).</param>
/// <param name="Parameters">The generation parameters the worker used.</param>
/// <param name="Labels">The item's labels, untouched.</param>
public sealed record BatchManifestLine(
    int Item, string JobId, int Image, string Blob, string Sha256, string Prompt, string? NegativePrompt, long Seed,
    BatchImageParameters Parameters, JsonElement? Labels);

/// <summary>The parameters of a manifest line.</summary>
public sealed record BatchImageParameters(int? Width, int? Height, int? Steps, double? GuidanceScale, string? Scheduler, string Mode, string? Model);

/// <summary>An item of a batch that produced no image.</summary>
/// <param name="Item">Its index.</param>
/// <param name="Status"><c>refused</c>, <c>failed</c> or <c>cancelled</c>.</param>
/// <param name="JobId">Its job (none when refused).</param>
/// <param name="Problem">The refusal (RFC 7807 problem details) of a refused item.</param>
/// <param name="Error">The job's error of a failed item.</param>
/// <param name="Labels">The item's labels.</param>
public sealed record BatchItemProblem(int Item, string Status, string? JobId, WorkflowItemRefusal? Problem, JobError? Error, JsonElement? Labels);

/// <summary>The summary of a batch.</summary>
public sealed record BatchSummary(
    string RunId, string Kind, WorkflowRunStatus Status, WorkflowRunCounts Counts, int Images, string Manifest,
    DateTimeOffset CreatedAt, string? Source, IReadOnlyList<BatchItemProblem> Problems);
