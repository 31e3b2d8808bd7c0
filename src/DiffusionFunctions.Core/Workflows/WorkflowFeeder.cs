using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Queue;
using DiffusionFunctions.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Workflows;

/// <summary>
/// Releases a run's jobs to the ordinary generation queue, at most <see cref="WorkflowOptions.MaxInFlightPerRun"/> at a
/// time (the fairness rule), and cancels what it held back once the run is cancelled. Called when a run starts and each
/// time one of its jobs finishes (the worker's fan-in). Crash-safe and idempotent: the cursor is committed (ETag) before
/// the messages are sent and <see cref="WorkflowRunState.Sent"/> after, so a repeated call re-sends what may not have gone
/// out; duplicate messages are harmless because the job record decides what a delivery does.
/// </summary>
public sealed class WorkflowFeeder(
    WorkflowRunStore runs,
    DiffusionJobsClient jobs,
    GenerationQueueClient queue,
    IOptions<DiffusionStorageOptions> storage,
    IOptions<WorkflowOptions> options,
    TimeProvider time,
    ILogger<WorkflowFeeder> logger)
{
    /// <summary>Releases (or, for a cancelled run, cancels) the next items; returns the run's state afterwards.</summary>
    public async Task<WorkflowRunState> ReleaseAsync(string runId, CancellationToken cancellationToken)
    {
        var maxInFlight = options.Value.MaxInFlightPerRun;
        var (state, _) = await runs.UpdateStateAsync(runId, s => s.ReleaseNext(maxInFlight, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        if (state.Sent < state.Released)
        {
            var upTo = state.Released;
            for (var i = state.Sent; i < upTo; i++)
            {
                if (state.Items[i] == WorkflowItemCodes.Pending)
                {
                    var jobId = WorkflowIds.JobIdFor(runId, i);
                    await queue.SendAsync(GenerationQueueMessage.For(jobId, storage.Value.JobsContainer), cancellationToken).ConfigureAwait(false);
                }
            }

            (state, _) = await runs.UpdateStateAsync(
                runId, s => s.Sent >= upTo ? s : s with { Sent = upTo, UpdatedAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
            logger.LogDebug("Run {RunId}: released items up to {Released}", runId, upTo);
        }

        if (state.CancelRequested && state.Status == WorkflowRunStatus.Running && state.Released < state.Items.Length)
        {
            state = await CancelHeldBackAsync(runId, state, cancellationToken).ConfigureAwait(false);
        }

        return state;
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

                return next with { Released = s.Items.Length, Sent = s.Items.Length, UpdatedAt = now };
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
