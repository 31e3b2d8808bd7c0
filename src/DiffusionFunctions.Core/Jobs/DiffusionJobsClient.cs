using System.Net;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DiffusionFunctions.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Jobs;

/// <summary>
/// The job store: one JSON blob per job (<c>{id}.json</c> in the jobs container). Every update is a
/// read-modify-write conditional on the blob's ETag and is retried on HTTP 412, so concurrent writers (the API
/// cancelling, the worker reporting progress) never lose each other's changes. Thread-safe; register as a singleton.
/// </summary>
public class DiffusionJobsClient
{
    private readonly BlobContainerClient _container;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _maxAttempts;

    /// <summary>Creates a client over <paramref name="blobService"/> using the container named in <paramref name="storage"/>.</summary>
    public DiffusionJobsClient(
        BlobServiceClient blobService,
        IOptions<DiffusionStorageOptions> storage,
        IOptions<DiffusionJobsClientOptions> options,
        TimeProvider time,
        ILogger<DiffusionJobsClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(blobService);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(options);
        _container = blobService.GetBlobContainerClient(storage.Value.JobsContainer);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? NullLogger<DiffusionJobsClient>.Instance;
        _maxAttempts = Math.Max(1, options.Value.MaxUpdateAttempts);
    }

    /// <summary>For mocking.</summary>
    protected DiffusionJobsClient()
    {
        _container = null!;
        _time = TimeProvider.System;
        _logger = NullLogger.Instance;
    }

    /// <summary>The blob name of a job record.</summary>
    public static string BlobNameFor(string jobId) => jobId + ".json";

    /// <summary>The job, or null when no record exists.</summary>
    public virtual async Task<JobRecord?> GetAsync(string jobId, CancellationToken cancellationToken = default)
    {
        JobIds.ThrowIfInvalid(jobId);
        var read = await ReadAsync(jobId, cancellationToken).ConfigureAwait(false);
        return read?.Job;
    }

    /// <summary>Stores a new job; fails with <see cref="RequestFailedException"/> (409) when the id already exists.</summary>
    public virtual async Task<JobRecord> CreateAsync(JobRecord job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        await _container.GetBlobClient(BlobNameFor(job.Id)).UploadAsync(
            Serialize(job),
            new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            },
            cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Created job {JobId} ({Status})", job.Id, job.Status);
        return job;
    }

    /// <summary>
    /// Applies <paramref name="mutate"/> to the current record and writes the result if the record has not changed in
    /// the meantime; otherwise re-reads and tries again. <paramref name="mutate"/> may run more than once and must be
    /// a pure function of its input. Returning null (or the same instance) writes nothing.
    /// </summary>
    /// <returns>The record as stored after the update.</returns>
    /// <exception cref="JobNotFoundException">No record exists.</exception>
    /// <exception cref="InvalidJobTransitionException">The mutation is not allowed from the current state.</exception>
    public virtual async Task<JobRecord> UpdateAsync(
        string jobId, Func<JobRecord, JobRecord?> mutate, CancellationToken cancellationToken = default)
    {
        JobIds.ThrowIfInvalid(jobId);
        ArgumentNullException.ThrowIfNull(mutate);
        for (var attempt = 1; ; attempt++)
        {
            var current = await ReadAsync(jobId, cancellationToken).ConfigureAwait(false)
                ?? throw new JobNotFoundException(jobId);
            var updated = mutate(current.Job);
            if (updated is null || ReferenceEquals(updated, current.Job) || updated == current.Job)
            {
                return current.Job;
            }

            if (updated.Id != jobId)
            {
                throw new InvalidOperationException($"An update of job '{jobId}' must not change its id.");
            }

            try
            {
                await _container.GetBlobClient(BlobNameFor(jobId)).UploadAsync(
                    Serialize(updated),
                    new BlobUploadOptions
                    {
                        Conditions = new BlobRequestConditions { IfMatch = current.ETag },
                        HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                    },
                    cancellationToken).ConfigureAwait(false);
                return updated;
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed && attempt < _maxAttempts)
            {
                _logger.LogDebug("Job {JobId} changed underneath update attempt {Attempt}; retrying", jobId, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * attempt)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Queued (or running, on redelivery) → running.</summary>
    public virtual Task<JobRecord> MarkRunningAsync(string jobId, CancellationToken cancellationToken = default)
        => UpdateAsync(jobId, job => job.Start(_time.GetUtcNow()), cancellationToken);

    /// <summary>Writes step progress of a running job.</summary>
    public virtual Task<JobRecord> ReportProgressAsync(string jobId, int step, int totalSteps, CancellationToken cancellationToken = default)
        => UpdateAsync(jobId, job => job.WithProgress(step, totalSteps, _time.GetUtcNow()), cancellationToken);

    /// <summary>
    /// Running → succeeded with the result blob names (in the results container), the engine's warnings and, when given,
    /// the SHA-256 of each PNG (workflow manifests read them instead of downloading the images).
    /// </summary>
    public virtual Task<JobRecord> MarkSucceededAsync(
        string jobId,
        IReadOnlyList<string> results,
        int withheldCount = 0,
        int? tokensTruncated = null,
        IReadOnlyList<string>? warnings = null,
        CancellationToken cancellationToken = default,
        IReadOnlyList<string>? resultSha256 = null)
        => UpdateAsync(jobId, job => job.Succeed(results, withheldCount, _time.GetUtcNow(), tokensTruncated, warnings, resultSha256), cancellationToken);

    /// <summary>Queued or running → failed.</summary>
    public virtual Task<JobRecord> MarkFailedAsync(string jobId, string code, string message, CancellationToken cancellationToken = default)
        => UpdateAsync(jobId, job => job.Fail(code, message, _time.GetUtcNow()), cancellationToken);

    /// <summary>Queued or running → cancelled (the worker, after stopping on a cancel request).</summary>
    public virtual Task<JobRecord> MarkCancelledAsync(string jobId, CancellationToken cancellationToken = default)
        => UpdateAsync(jobId, job => job.Cancel(_time.GetUtcNow()), cancellationToken);

    /// <summary>A client's cancel: see <see cref="JobRecord.RequestCancellation"/>.</summary>
    public virtual Task<JobRecord> RequestCancellationAsync(string jobId, CancellationToken cancellationToken = default)
        => UpdateAsync(jobId, job => job.RequestCancellation(_time.GetUtcNow()), cancellationToken);

    /// <summary>Deletes a job record (used to undo a submission that could not be enqueued).</summary>
    public virtual async Task DeleteAsync(string jobId, CancellationToken cancellationToken = default)
    {
        JobIds.ThrowIfInvalid(jobId);
        await _container.GetBlobClient(BlobNameFor(jobId)).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task<(JobRecord Job, ETag ETag)?> ReadAsync(string jobId, CancellationToken cancellationToken)
    {
        Response<BlobDownloadResult> response;
        try
        {
            response = await _container.GetBlobClient(BlobNameFor(jobId)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }

        return (Deserialize(jobId, response.Value.Content), response.Value.Details.ETag);
    }

    /// <summary>Reads a stored record, or throws <see cref="JobRecordUnreadableException"/> saying why it is not a job record of <paramref name="jobId"/>.</summary>
    private static JobRecord Deserialize(string jobId, BinaryData content)
    {
        JobRecord? job;
        try
        {
            job = content.ToObjectFromJson<JobRecord>(DiffusionJson.Options);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw new JobRecordUnreadableException(jobId, ex.Message, ex);
        }

        var problem = job switch
        {
            null => "it is empty (null).",
            { Id: var id } when id != jobId => $"it holds job '{id}'.",
            { Parameters: null } => "it has no parameters.",
            { Status: var status } when !Enum.IsDefined(status) => $"its status {(int)status} is unknown.",
            _ => null,
        };
        return problem is null ? job! : throw new JobRecordUnreadableException(jobId, problem);
    }

    private static BinaryData Serialize(JobRecord job) => new(JsonSerializer.SerializeToUtf8Bytes(job, DiffusionJson.Options));
}
