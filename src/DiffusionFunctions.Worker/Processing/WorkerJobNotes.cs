using System.Net;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DiffusionFunctions.Core;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Storage;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Processing;

/// <summary>The worker's own notes about a job, beside the job record.</summary>
/// <param name="LastError">The last transient error (used by the poison handler as the failure reason).</param>
/// <param name="NotifiedEventId">The id of the final event once it was published (a redelivery then sends nothing).</param>
public sealed record WorkerJobNote(string? LastError, string? NotifiedEventId);

/// <summary>
/// Stores <see cref="WorkerJobNote"/>s as <c>worker/{jobId}.json</c> in the jobs container. This is the worker's
/// "outbox" marker: a job is final before its event is published, and the note is written after, so a worker that dies in
/// between publishes on redelivery (at least once), while a plain duplicate delivery publishes nothing.
/// </summary>
public class WorkerJobNotes
{
    private readonly BlobContainerClient _container;

    /// <summary>Creates the store over the jobs container named in <paramref name="storage"/>.</summary>
    public WorkerJobNotes(BlobServiceClient blobService, IOptions<DiffusionStorageOptions> storage)
    {
        ArgumentNullException.ThrowIfNull(blobService);
        ArgumentNullException.ThrowIfNull(storage);
        _container = blobService.GetBlobContainerClient(storage.Value.JobsContainer);
    }

    /// <summary>The blob name of a job's note.</summary>
    public static string BlobNameFor(string jobId) => "worker/" + jobId + ".json";

    /// <summary>The note, or an empty one.</summary>
    public virtual async Task<WorkerJobNote> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        JobIds.ThrowIfInvalid(jobId);
        try
        {
            var content = await _container.GetBlobClient(BlobNameFor(jobId)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToObjectFromJson<WorkerJobNote>(DiffusionJson.Options) ?? new WorkerJobNote(null, null);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return new WorkerJobNote(null, null);
        }
    }

    /// <summary>Records the last transient error of a job.</summary>
    public virtual async Task RecordErrorAsync(string jobId, string error, CancellationToken cancellationToken)
    {
        var note = await GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        await WriteAsync(jobId, note with { LastError = error }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces a job's note.</summary>
    public virtual async Task WriteAsync(string jobId, WorkerJobNote note, CancellationToken cancellationToken)
        => await _container.GetBlobClient(BlobNameFor(jobId)).UploadAsync(
            new BinaryData(JsonSerializer.SerializeToUtf8Bytes(note, DiffusionJson.Options)),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken).ConfigureAwait(false);
}
