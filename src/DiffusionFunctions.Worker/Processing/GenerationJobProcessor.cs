using System.Diagnostics;
using System.Net;
using Azure;
using Azure.Storage.Blobs;
using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Policy;
using DiffusionFunctions.Core.Queue;
using DiffusionFunctions.Core.Storage;
using DiffusionFunctions.Core.Telemetry;
using DiffusionFunctions.Worker.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Processing;

/// <summary>
/// Runs one delivery of a generation message: the worker's queue function is a thin shell around this class.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Parse the message and load the job; an unreadable message or a missing job is dropped.</item>
/// <item>A finished job (duplicate delivery) generates nothing; its event is published only if that never happened.</item>
/// <item>Re-check the request (defence in depth): the blocked-term policy on the prompt, the scheduler name and the size.
/// A failure here fails the job at once: no retry can fix it.</item>
/// <item>Mark it running (a job left <c>running</c> by a worker that died is restarted; <see cref="JobRecord.Attempts"/> counts).</item>
/// <item>Generate, with progress written at most once per <see cref="WorkerOptions.ProgressInterval"/> and the client's cancel
/// honoured between steps (<see cref="JobProgressReporter"/>).</item>
/// <item>Write the PNGs at <c>{jobId}/{index}.png</c> (overwriting), mark the job succeeded, publish the event.</item>
/// </list>
/// Transient failures (storage errors, ONNX Runtime errors) are recorded in <see cref="WorkerJobNotes"/> and rethrown so the
/// queue delivers the message again; after the last delivery the poison function calls <see cref="FailExhaustedAsync"/>.
/// The host's cancellation token (shutdown) is not a job cancel: the job stays running and the message is redelivered.
/// </remarks>
public sealed class GenerationJobProcessor(
    DiffusionJobsClient jobs,
    IImageGenerator generator,
    ResultBlobWriter results,
    GenerationNotifier notifier,
    WorkerJobNotes notes,
    IPromptPolicy policy,
    BlobServiceClient blobService,
    IOptions<DiffusionStorageOptions> storage,
    IOptions<WorkerOptions> options,
    IOptions<PromptPolicyOptions> policyOptions,
    TimeProvider time,
    IEnumerable<IGenerationStepListener> stepListeners,
    Engine.EngineReadiness readiness,
    Workflows.WorkflowFanIn fanIn,
    ILogger<GenerationJobProcessor> logger)
{
    private readonly IGenerationStepListener[] _listeners = [.. stepListeners];

    /// <summary>Processes one delivery of <paramref name="messageText"/>.</summary>
    public async Task<JobProcessingOutcome> ProcessAsync(string messageText, long dequeueCount, CancellationToken cancellationToken)
    {
        if (!TryParse(messageText, out var message))
        {
            return JobProcessingOutcome.Discarded;
        }

        // No message runs before the model is loaded and warmed up (the host may start delivering first); a failed
        // start-up throws here, so the message is retried by a healthy instance or poisoned, never half-processed.
        await readiness.WhenReady.WaitAsync(cancellationToken).ConfigureAwait(false);
        var jobId = message.JobId;
        using var activity = JobProcessingActivity.Start(message, dequeueCount);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = jobId, ["DequeueCount"] = dequeueCount });
        var engine = generator.Describe();
        // One conditional read-modify-write: the record is read, re-checked and marked running (or left alone) in one go.
        NonRetryableGenerationException? rejected = null;
        JobRecord job;
        try
        {
            job = await jobs.UpdateAsync(
                jobId,
                current =>
                {
                    rejected = null;
                    if (current.Status.IsFinal() || current.CancelRequested)
                    {
                        return null;
                    }

                    // A job for another model is never drawn with this one (and never gets this model's defaults written in).
                    rejected = CheckModel(current.Parameters);
                    if (rejected is not null)
                    {
                        return null;
                    }

                    // Values the client and the operator left unset come from the model, and the record shows them from now on.
                    var resolved = current with { Parameters = generator.ResolveDefaults(current.Parameters) };
                    rejected = Recheck(resolved.Parameters);
                    return rejected is null
                        ? resolved.Start(time.GetUtcNow()) with { Device = engine?.Device, Model = string.IsNullOrEmpty(options.Value.ModelName) ? engine?.Model : options.Value.ModelName }
                        : null;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (JobNotFoundException)
        {
            logger.LogWarning("Job {JobId} has no record; dropping its message", jobId);
            return JobProcessingOutcome.Discarded;
        }
        catch (JobRecordUnreadableException ex)
        {
            return DropForCorruptRecord(ex, dequeueCount);
        }

        if (job.Status.IsFinal())
        {
            logger.LogInformation("Job {JobId} is already {Status}; duplicate delivery {DequeueCount} ignored", jobId, job.Status.ToWireName(), dequeueCount);
            await FinishedAsync(job, justFinished: false, cancellationToken).ConfigureAwait(false);
            return JobProcessingOutcome.AlreadyFinished;
        }

        if (job.CancelRequested)
        {
            return await FinishCancelledAsync(jobId, cancellationToken).ConfigureAwait(false);
        }

        if (rejected is not null)
        {
            logger.LogWarning("Job {JobId} cannot be generated ({Code}): {Reason}", jobId, rejected.Code, rejected.Message);
            return await FinishFailedAsync(jobId, rejected.Code, rejected.Message, cancellationToken).ConfigureAwait(false);
        }

        if (job.Attempts == 1 && job.StartedAt is { } started)
        {
            DiffusionTelemetry.QueueWait.Record((started - job.CreatedAt).TotalSeconds);
        }

        try
        {
            logger.LogInformation("Job {JobId} running on {Device} (attempt {Attempt}, delivery {DequeueCount})", jobId, job.Device, job.Attempts, dequeueCount);
            var input = await LoadInputAsync(job.Parameters, cancellationToken).ConfigureAwait(false);

            using var jobCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            GeneratedImages generated;
            var reporter = new JobProgressReporter(jobs, jobId, options.Value.ProgressInterval, time, jobCancellation, logger);
            await using (reporter.ConfigureAwait(false))
            {
                var engineClock = Stopwatch.StartNew();
                try
                {
                    generated = await generator.GenerateAsync(input, (step, total) => OnStep(reporter, jobId, step, total, jobCancellation.Token), jobCancellation.Token)
                        .ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (reporter.CancellationObserved && !cancellationToken.IsCancellationRequested)
                {
                    return await FinishCancelledAsync(jobId, cancellationToken).ConfigureAwait(false);
                }

                if (reporter.CancellationObserved)
                {
                    // The cancel arrived after the last step: honour it rather than publish images the client no longer wants.
                    return await FinishCancelledAsync(jobId, cancellationToken).ConfigureAwait(false);
                }

                RecordGeneration(job.Parameters, engineClock.Elapsed);
            }

            var names = await results.WriteAsync(jobId, generated.Seed, generated.Images, cancellationToken).ConfigureAwait(false);
            JobRecord finished;
            try
            {
                var hashes = generated.Images.OrderBy(i => i.Index).Select(i => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(i.Png.Span))).ToList();
                finished = await jobs.MarkSucceededAsync(jobId, names, generated.WithheldCount, generated.TokensTruncated, generated.Warnings, cancellationToken, hashes)
                    .ConfigureAwait(false);
            }
            catch (InvalidJobTransitionException ex)
            {
                // Another delivery of the same message finished first (it wrote the same blob names).
                logger.LogInformation("Job {JobId} became {Status} meanwhile; this delivery stops", jobId, ex.From.ToWireName());
                return JobProcessingOutcome.AlreadyFinished;
            }

            logger.LogInformation("Job {JobId} succeeded: {Count} image(s), {Withheld} withheld", jobId, names.Count, generated.WithheldCount);
            DiffusionTelemetry.ImagesPerJob.Record(names.Count);
            if (generated.WithheldCount > 0)
            {
                DiffusionTelemetry.WithheldImages.Add(generated.WithheldCount);
            }

            await FinishedAsync(finished, justFinished: true, cancellationToken).ConfigureAwait(false);
            return JobProcessingOutcome.Succeeded;
        }
        catch (NonRetryableGenerationException ex)
        {
            logger.LogWarning(ex.InnerException, "Job {JobId} cannot be generated ({Code}): {Reason}", jobId, ex.Code, ex.Message);
            return await FinishFailedAsync(jobId, ex.Code, ex.Message, cancellationToken).ConfigureAwait(false);
        }
        catch (JobRecordUnreadableException ex)
        {
            // The record went bad while the job ran (images may already be written: they stay, unreferenced).
            return DropForCorruptRecord(ex, dequeueCount);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            logger.LogError(ex, "Job {JobId} failed on delivery {DequeueCount}; the queue will retry it", jobId, dequeueCount);
            await TryRecordErrorAsync(jobId, ex).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The poison function's work: the message failed every delivery, so the job is marked failed with the last recorded
    /// error as the reason, and its failure event is published.
    /// </summary>
    public async Task<JobProcessingOutcome> FailExhaustedAsync(string messageText, CancellationToken cancellationToken)
    {
        if (!TryParse(messageText, out var message))
        {
            return JobProcessingOutcome.Discarded;
        }

        JobRecord? job;
        try
        {
            job = await jobs.GetAsync(message.JobId, cancellationToken).ConfigureAwait(false);
        }
        catch (JobRecordUnreadableException ex)
        {
            return DropForCorruptRecord(ex, dequeueCount: null);
        }

        if (job is null)
        {
            logger.LogWarning("Poison message for job {JobId}, which has no record; dropped", message.JobId);
            return JobProcessingOutcome.Discarded;
        }

        if (job.Status.IsFinal())
        {
            await FinishedAsync(job, justFinished: false, cancellationToken).ConfigureAwait(false);
            return JobProcessingOutcome.AlreadyFinished;
        }

        // The last error (an exception's text: storage responses, headers, paths) goes to the log, never to the client.
        var note = await notes.GetAsync(message.JobId, cancellationToken).ConfigureAwait(false);
        logger.LogError("Job {JobId} reached the poison queue after {Deliveries} deliveries; last error: {LastError}",
            message.JobId, options.Value.MaxDequeueCount, note.LastError ?? "(none recorded)");
        return await FinishFailedAsync(message.JobId, JobErrorCodes.RetriesExhausted, JobErrorMessages.RetriesExhausted, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A corrupt record cannot be fixed by another delivery: the message is completed, and the record is left in place
    /// for an operator (the API answers reads of it with its <c>job-record-unreadable</c> problem). One error line says so.
    /// </summary>
    private JobProcessingOutcome DropForCorruptRecord(JobRecordUnreadableException ex, long? dequeueCount)
    {
        logger.LogError(
            ex,
            "Job {JobId} has a corrupt record ({Reason}); its message (delivery {DequeueCount}) is dropped and the record is left for an operator",
            ex.JobId, ex.Message, dequeueCount);
        return JobProcessingOutcome.Discarded;
    }

    /// <summary>
    /// What follows every finished job, and every duplicate delivery of one: its event (once), then, for a job of a workflow
    /// run, the run's fan-in (idempotent). Either throwing leaves the message to be delivered again.
    /// </summary>
    private async Task FinishedAsync(JobRecord job, bool justFinished, CancellationToken cancellationToken)
    {
        await notifier.NotifyOnceAsync(job, justFinished, cancellationToken).ConfigureAwait(false);
        await fanIn.OnJobFinishedAsync(job, cancellationToken).ConfigureAwait(false);
    }

    private void OnStep(JobProgressReporter reporter, string jobId, int step, int total, CancellationToken jobCancellation)
    {
        reporter.OnStep(step, total);
        foreach (var listener in _listeners)
        {
            listener.OnStep(jobId, step, total, jobCancellation);
        }
    }

    /// <summary>
    /// A job routed to a model (its <c>parameters.model</c>) that this worker does not serve (<see cref="WorkerOptions.ModelName"/>):
    /// it reached the wrong queue (a worker app given another model's queue), and no retry here can fix that.
    /// </summary>
    private NonRetryableGenerationException? CheckModel(GenerationParameters parameters)
    {
        var serves = options.Value.ModelName;
        if (parameters.Model is not { } wanted || string.IsNullOrEmpty(serves) || string.Equals(wanted, serves, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return new NonRetryableGenerationException(
            JobErrorCodes.WrongModel,
            $"The job is for model '{wanted}', but it reached the worker for model '{serves}'; it was not generated. " +
            "Each model's worker must read that model's own queue.");
    }

    private NonRetryableGenerationException? Recheck(GenerationParameters parameters)
    {
        var verdict = policy.Evaluate(parameters.Prompt);
        if (verdict.IsBlocked)
        {
            return new NonRetryableGenerationException(JobErrorCodes.PromptBlocked, JobErrorMessages.PromptBlocked(verdict, policyOptions.Value.RevealMatches));
        }

        if (parameters.Scheduler is { } scheduler && !SchedulerNames.IsKnown(scheduler))
        {
            return new NonRetryableGenerationException(
                JobErrorCodes.InvalidRequest, $"Unknown scheduler '{scheduler}'; known: {string.Join(", ", SchedulerNames.All)}.");
        }

        if (parameters.Width is <= 0 || parameters.Height is <= 0 || parameters.Width % 8 is not (0 or null) || parameters.Height % 8 is not (0 or null))
        {
            return new NonRetryableGenerationException(
                JobErrorCodes.InvalidRequest, $"Size {parameters.Width}x{parameters.Height} is invalid: width and height must be positive multiples of 8.");
        }

        if (parameters.Steps is < 1 || parameters.Count < 1)
        {
            return new NonRetryableGenerationException(
                JobErrorCodes.InvalidRequest, $"Steps ({parameters.Steps}) and count ({parameters.Count}) must be at least 1.");
        }

        return null;
    }

    private async Task<ImageGenerationInput> LoadInputAsync(GenerationParameters parameters, CancellationToken cancellationToken)
    {
        var init = parameters.InitImageBlob is { } initBlob ? await ReadInputAsync(initBlob, cancellationToken).ConfigureAwait(false) : null;
        var mask = parameters.MaskBlob is { } maskBlob ? await ReadInputAsync(maskBlob, cancellationToken).ConfigureAwait(false) : null;
        return new ImageGenerationInput(parameters, init, mask);
    }

    private async Task<ReadOnlyMemory<byte>?> ReadInputAsync(string blobName, CancellationToken cancellationToken)
    {
        try
        {
            var content = await blobService.GetBlobContainerClient(storage.Value.InputsContainer).GetBlobClient(blobName)
                .DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToMemory();
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            logger.LogWarning("The input image blob {Blob} does not exist", blobName);
            throw new NonRetryableGenerationException(JobErrorCodes.InvalidRequest, JobErrorMessages.InputImageMissing, ex);
        }
    }

    private async Task<JobProcessingOutcome> FinishCancelledAsync(string jobId, CancellationToken cancellationToken)
    {
        var job = await jobs.MarkCancelledAsync(jobId, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Job {JobId} cancelled by the client; no images written", jobId);
        await FinishedAsync(job, justFinished: true, cancellationToken).ConfigureAwait(false);
        return JobProcessingOutcome.Cancelled;
    }

    private async Task<JobProcessingOutcome> FinishFailedAsync(string jobId, string code, string reason, CancellationToken cancellationToken)
    {
        JobRecord job;
        try
        {
            job = await jobs.MarkFailedAsync(jobId, code, JobErrorMessages.Validation(reason), cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidJobTransitionException)
        {
            job = (await jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false))!;
            await FinishedAsync(job, justFinished: false, cancellationToken).ConfigureAwait(false);
            return JobProcessingOutcome.AlreadyFinished;
        }

        DiffusionTelemetry.Failures.Add(1, new KeyValuePair<string, object?>("error.code", code));
        Activity.Current?.SetStatus(ActivityStatusCode.Error, code);
        await FinishedAsync(job, justFinished: true, cancellationToken).ConfigureAwait(false);
        return JobProcessingOutcome.Failed;
    }

    private static void RecordGeneration(GenerationParameters parameters, TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds;
        DiffusionTelemetry.GenerationDuration.Record(seconds);
        if (seconds > 0 && parameters.Steps is { } steps)
        {
            DiffusionTelemetry.StepsPerSecond.Record(steps * (double)parameters.Count / seconds);
        }
    }

    private async Task TryRecordErrorAsync(string jobId, Exception ex)
    {
        try
        {
            await notes.RecordErrorAsync(jobId, $"{ex.GetType().Name}: {ex.Message}", CancellationToken.None).ConfigureAwait(false);
        }
        catch (RequestFailedException noteError)
        {
            logger.LogWarning(noteError, "Could not record the error of job {JobId}", jobId);
        }
    }

    private bool TryParse(string messageText, out GenerationQueueMessage message)
    {
        try
        {
            message = GenerationQueueMessage.Parse(messageText);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException or ArgumentException)
        {
            logger.LogError("Dropping an unreadable generation message: {Reason}", ex.Message);
            message = null!;
            return false;
        }
    }
}
