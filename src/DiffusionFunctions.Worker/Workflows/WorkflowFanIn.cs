using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Workflows;
using Microsoft.Extensions.Logging;

namespace DiffusionFunctions.Worker.Workflows;

/// <summary>
/// The fan-in step the worker runs wherever a job of a workflow run is finished (succeeded, failed, cancelled, poisoned)
/// and on every duplicate delivery of a finished one: records the job's final status in the run's state (once; an
/// ETag-conditional write), lets the feeder release the run's next items, and completes the run when nothing is pending.
/// Every step is idempotent, so a redelivered message (a crash, a duplicate) repeats it safely; a failure throws, so the
/// generation message is delivered again and the step is retried.
/// </summary>
public sealed class WorkflowFanIn(WorkflowFeeder feeder, WorkflowCompleter completer, ILogger<WorkflowFanIn> logger)
{
    /// <summary>Records <paramref name="job"/> (a finished job) in its run, if it belongs to one.</summary>
    public async Task OnJobFinishedAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Workflow is not { } link || !job.Status.IsFinal())
        {
            return;
        }

        WorkflowRunState state;
        try
        {
            state = await feeder.RecordAndReleaseAsync(link.RunId, link.Index, job.Status, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkflowRunNotFoundException)
        {
            logger.LogWarning("Job {JobId} names workflow run {RunId}, which has no state; nothing to record", job.Id, link.RunId);
            return;
        }

        if (state.AllFinished)
        {
            await completer.CompleteAsync(link.RunId, finishedBy: job.Id, cancellationToken).ConfigureAwait(false);
        }
    }
}
