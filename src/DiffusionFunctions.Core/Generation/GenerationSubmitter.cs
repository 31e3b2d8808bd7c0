using System.Diagnostics;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DiffusionFunctions.Core.Images;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Queue;
using DiffusionFunctions.Core.Storage;
using DiffusionFunctions.Core.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Generation;

/// <summary>How a submission ended.</summary>
public enum SubmissionOutcome
{
    /// <summary>A new job was stored and enqueued.</summary>
    Created,

    /// <summary>The same idempotency key and request were seen before; <see cref="SubmissionResult.Job"/> is that job.</summary>
    Replayed,

    /// <summary>The idempotency key was used before with a different request.</summary>
    KeyReusedWithDifferentRequest,

    /// <summary>The key's first request is still being stored; the client should retry shortly.</summary>
    KeyInProgress,
}

/// <summary>The result of <see cref="GenerationSubmitter.SubmitAsync"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Job">The job (created or replayed); null for the key outcomes.</param>
/// <param name="ExistingJobId">The job id the idempotency key already points at, if any.</param>
public sealed record SubmissionResult(SubmissionOutcome Outcome, JobRecord? Job, string? ExistingJobId = null);

/// <summary>
/// Turns a validated, policy-checked request into a job: claims the idempotency key, stores the input images as blobs,
/// writes the queued job record and enqueues a <see cref="GenerationQueueMessage"/> on the job's model's queue. If any step fails, what was
/// written is removed again (best effort) so nothing is half-submitted.
/// </summary>
public sealed class GenerationSubmitter(
    DiffusionJobsClient jobs,
    IdempotencyKeyStore idempotency,
    GenerationQueueClient queue,
    Routing.DeployedModels models,
    BlobServiceClient blobService,
    IOptions<DiffusionStorageOptions> storage,
    TimeProvider time,
    ILogger<GenerationSubmitter> logger)
{
    private static readonly TimeSpan ReplayWait = TimeSpan.FromSeconds(5);
    private readonly DiffusionStorageOptions _storage = storage.Value;

    /// <summary>The blob name of an input image: <c>{jobId}/{init|mask}.{png|jpg|webp}</c>.</summary>
    public static string InputBlobName(string jobId, string field, ImageHeader header)
        => $"{jobId}/{(field == "mask" ? "mask" : "init")}.{header.Extension}";

    /// <summary>Submits a job. <paramref name="parameters"/> must come from <see cref="GenerationRequestValidator"/>.</summary>
    public async Task<SubmissionResult> SubmitAsync(
        GenerationParameters parameters,
        InputImage? initImage,
        InputImage? mask,
        string? idempotencyKey,
        string requestHash,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentException.ThrowIfNullOrEmpty(requestHash);
        var jobId = JobIds.New();
        var now = time.GetUtcNow();
        // The submit span: a child of the HTTP request's span; its context travels in the queue message to the worker.
        using var activity = DiffusionTelemetry.Source.StartActivity("generation.submit", ActivityKind.Producer)?.SetTag(DiffusionTelemetry.JobIdTag, jobId);

        if (idempotencyKey is not null)
        {
            var claim = await idempotency.TryClaimAsync(new IdempotencyRecord(idempotencyKey, jobId, requestHash, now), cancellationToken)
                .ConfigureAwait(false);
            if (!claim.Claimed)
            {
                return await ReplayAsync(claim.Record, requestHash, cancellationToken).ConfigureAwait(false);
            }
        }

        var inputs = _storage.InputsContainer;
        var written = new List<string>();
        var jobCreated = false;
        try
        {
            var resolved = parameters;
            if (initImage is not null)
            {
                resolved = resolved with { InitImageBlob = await UploadAsync(jobId, initImage, written, cancellationToken).ConfigureAwait(false) };
            }

            if (mask is not null)
            {
                resolved = resolved with { MaskBlob = await UploadAsync(jobId, mask, written, cancellationToken).ConfigureAwait(false) };
            }

            var job = JobRecord.CreateQueued(jobId, resolved, now, idempotencyKey, requestHash);
            await jobs.CreateAsync(job, cancellationToken).ConfigureAwait(false);
            jobCreated = true;
            // Each model has its own queue (its own worker app); a job that names none goes to the default model's.
            var queueName = models.QueueFor(resolved.Model);
            await queue.SendAsync(GenerationQueueMessage.For(jobId, _storage.JobsContainer), queueName, cancellationToken).ConfigureAwait(false);
            logger.LogInformation(
                "Accepted job {JobId} for model {Model} on queue {Queue}: {Mode} {Width}x{Height}, {Steps} steps, {Count} image(s), seed {Seed}",
                jobId, resolved.Model ?? "(default)", queueName, GenerationModeNames.ToName(resolved.Mode), resolved.Width, resolved.Height, resolved.Steps,
                resolved.Count, resolved.Seed);
            return new SubmissionResult(SubmissionOutcome.Created, job);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Submission of job {JobId} failed; removing what was written", jobId);
            await UndoAsync(jobId, jobCreated, written, inputs, idempotencyKey).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<string> UploadAsync(string jobId, InputImage image, List<string> written, CancellationToken cancellationToken)
    {
        var name = InputBlobName(jobId, image.Field, image.Header);
        var blob = blobService.GetBlobContainerClient(_storage.InputsContainer).GetBlobClient(name);
        written.Add(name);
        await blob.UploadAsync(
            new BinaryData(image.Content),
            new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = image.Header.ContentType },
                Metadata = new Dictionary<string, string>
                {
                    ["jobId"] = jobId,
                    ["width"] = image.Header.Width.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["height"] = image.Header.Height.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
            },
            cancellationToken).ConfigureAwait(false);
        return name;
    }

    private async Task<SubmissionResult> ReplayAsync(IdempotencyRecord record, string requestHash, CancellationToken cancellationToken)
    {
        if (!string.Equals(record.RequestHash, requestHash, StringComparison.Ordinal))
        {
            return new SubmissionResult(SubmissionOutcome.KeyReusedWithDifferentRequest, null, record.JobId);
        }

        // The first request may still be writing its job record: wait for it a little, polling with a deadline.
        var deadline = time.GetUtcNow() + ReplayWait;
        var delay = TimeSpan.FromMilliseconds(25);
        while (true)
        {
            var job = await jobs.GetAsync(record.JobId, cancellationToken).ConfigureAwait(false);
            if (job is not null)
            {
                return new SubmissionResult(SubmissionOutcome.Replayed, job, record.JobId);
            }

            if (time.GetUtcNow() >= deadline)
            {
                return new SubmissionResult(SubmissionOutcome.KeyInProgress, null, record.JobId);
            }

            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
        }
    }

    private async Task UndoAsync(string jobId, bool jobCreated, List<string> written, string inputs, string? idempotencyKey)
    {
        // Not tied to the request's token: the cleanup must run even when the client went away.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            if (jobCreated)
            {
                await jobs.DeleteAsync(jobId, cts.Token).ConfigureAwait(false);
            }

            var container = blobService.GetBlobContainerClient(inputs);
            foreach (var name in written)
            {
                await container.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cts.Token).ConfigureAwait(false);
            }

            if (idempotencyKey is not null)
            {
                await idempotency.ReleaseAsync(idempotencyKey, cts.Token).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // Cleanup is best effort; the original failure is rethrown by the caller.
        catch (Exception cleanupError)
#pragma warning restore CA1031
        {
            logger.LogError(cleanupError, "Could not fully undo the failed submission of job {JobId}", jobId);
        }
    }
}
