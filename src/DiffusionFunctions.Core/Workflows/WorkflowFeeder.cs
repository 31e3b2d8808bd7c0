using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Queue;
using DiffusionFunctions.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Workflows;

/// <summary>
/// Releases a run's jobs to the ordinary generation queues (each job to its model's, <see cref="Routing.DeployedModels.QueueFor"/>:
/// one batch may mix models), at most <see cref="WorkflowOptions.MaxInFlightPerRun"/> at a
/// time (the fairness rule), and cancels what it held back once the run is cancelled. Called when a run starts and each
/// time one of its jobs finishes (the worker's fan-in, which records the job and releases the next items in the same
/// ETag-conditional write). Crash-safe: the released items' messages are sent before the state that releases them is
/// written, so a crash in between leaves the state as it was and the repeated delivery sends them again. A message sent
/// twice (that, or a write that lost an ETag race) is harmless: the job record decides what a delivery does.
/// </summary>
public sealed class WorkflowFeeder(
    WorkflowRunStore runs,
    DiffusionJobsClient jobs,
    GenerationQueueClient queue,
    Routing.DeployedModels models,
    IOptions<DiffusionStorageOptions> storage,
    IOptions<WorkflowOptions> options,
    TimeProvider time,
    ILogger<WorkflowFeeder> logger)
{
    /// <summary>Releases (or, for a cancelled run, cancels) the next items; returns the run's state afterwards.</summary>
    public Task<WorkflowRunState> ReleaseAsync(string runId, CancellationToken cancellationToken)
        => UpdateAndReleaseAsync(runId, s => s, cancellationToken);

    /// <summary>
    /// The fan-in step: records item <paramref name="index"/>'s final <paramref name="status"/> and releases the next items,
    /// in one conditional write; returns the run's state afterwards. Recording an item twice changes nothing.
    /// </summary>
    public Task<WorkflowRunState> RecordAndReleaseAsync(string runId, int index, JobStatus status, CancellationToken cancellationToken)
        => UpdateAndReleaseAsync(runId, s => s.Record(index, status, time.GetUtcNow()), cancellationToken);

    private async Task<WorkflowRunState> UpdateAndReleaseAsync(string runId, Func<WorkflowRunState, WorkflowRunState> change, CancellationToken cancellationToken)
    {
        var maxInFlight = options.Value.MaxInFlightPerRun;
        var (state, _) = await runs.UpdateStateAsync(
            runId,
            s => change(s).ReleaseNext(maxInFlight, time.GetUtcNow()),
            (before, after, ct) => SendReleasedAsync(runId, before.Released, after, ct),
            cancellationToken).ConfigureAwait(false);

        if (state.CancelRequested && state.Status == WorkflowRunStatus.Running && state.Released < state.Items.Length)
        {
            state = await CancelHeldBackAsync(runId, state, cancellationToken).ConfigureAwait(false);
        }

        return state;
    }

    private async Task SendReleasedAsync(string runId, int from, WorkflowRunState after, CancellationToken cancellationToken)
    {
        for (var i = from; i < after.Released; i++)
        {
            if (after.Items[i] == WorkflowItemCodes.Pending)
            {
                var jobId = WorkflowIds.JobIdFor(runId, i);
                var queueName = await QueueForAsync(jobId, cancellationToken).ConfigureAwait(false);
                await queue.SendAsync(GenerationQueueMessage.For(jobId, storage.Value.JobsContainer), queueName, cancellationToken).ConfigureAwait(false);
            }
        }

        if (after.Released > from)
        {
            logger.LogDebug("Run {RunId}: released items {From} to {To}", runId, from, after.Released - 1);
        }
    }

    /// <summary>
    /// The queue of the job's model. With one model there is one queue and nothing to read; otherwise the job record (made
    /// at fan-out, before any release) names the model. A missing record goes to the default queue, where the worker fails
    /// the message as it does any message without a job.
    /// </summary>
    private async Task<string> QueueForAsync(string jobId, CancellationToken cancellationToken)
    {
        if (models.All.Count == 1)
        {
            return models.Default.Queue;
        }

        var job = await jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            logger.LogWarning("Job {JobId} has no record; releasing it to the default model's queue", jobId);
        }

        return models.QueueFor(job?.Parameters.Model);
    }

    /// <summary>
    /// Marks the run cancelled-requested (the feeder releases nothing more) and cancels every unfinished job of it with
    /// the job store's ordinary cancel (queued → cancelled, running → cancel requested). Idempotent.
    /// </summary>
    public async Task<WorkflowRunState> CancelAsync(string runId, CancellationToken cancellationToken)
    {
        var (state, _) = await runs.UpdateStateAsync(
            runId, s => s.CancelRequested || s.Status != WorkflowRunStatus.Running ? s : s with { CancelRequested = true, UpdatedAt = time.GetUtcNow() },
            cancellationToken).ConfigureAwait(false);
        if (state.Status != WorkflowRunStatus.Running)
        {
            return state;
        }

        // The released ones first (they may be running); the held-back ones are then recorded as cancelled in one update.
        await ForEachPendingAsync(state, 0, state.Released, cancellationToken).ConfigureAwait(false);
        return await CancelHeldBackAsync(runId, state, cancellationToken).ConfigureAwait(false);
    }

    private async Task<WorkflowRunState> CancelHeldBackAsync(string runId, WorkflowRunState state, CancellationToken cancellationToken)
    {
        var from = state.Released;
        await ForEachPendingAsync(state, from, state.Items.Length, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var (updated, _) = await runs.UpdateStateAsync(
            runId,
            s =>
            {
                if (s.Status != WorkflowRunStatus.Running || s.Released >= s.Items.Length)
                {
                    return s;
                }

                var next = s;
                for (var i = s.Released; i < s.Items.Length; i++)
                {
                    next = next.Record(i, JobStatus.Cancelled, now);
                }

                return next with { Released = s.Items.Length, UpdatedAt = now };
            },
            cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Run {RunId}: cancelled the items held back from {From}", runId, from);
        return updated;
    }

    private Task ForEachPendingAsync(WorkflowRunState state, int from, int to, CancellationToken cancellationToken)
    {
        var pending = Enumerable.Range(from, Math.Max(0, to - from)).Where(i => state.Items[i] == WorkflowItemCodes.Pending).ToList();
        return Parallel.ForEachAsync(
            pending,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.StorageConcurrency, CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                var jobId = WorkflowIds.JobIdFor(state.Id, index);
                try
                {
                    await jobs.RequestCancellationAsync(jobId, ct).ConfigureAwait(false);
                }
                catch (InvalidJobTransitionException)
                {
                    // Succeeded or failed meanwhile: it stays as it is.
                }
                catch (JobNotFoundException)
                {
                    logger.LogWarning("Run {RunId}: item {Index} has no job record to cancel", state.Id, index);
                }
            });
    }
}
