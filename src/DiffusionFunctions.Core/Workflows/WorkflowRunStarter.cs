using System.Net;
using Azure;
using DiffusionFunctions.Core.Jobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Workflows;

/// <summary>How <see cref="WorkflowRunStarter.StartAsync"/> ended.</summary>
/// <param name="Definition">The run as stored (the first start's, when this start repeated it).</param>
/// <param name="State">The run's state after the first release.</param>
/// <param name="Created">False when the run already existed (a duplicate delivery of the same start).</param>
public sealed record WorkflowRunStart(WorkflowRunDefinition Definition, WorkflowRunState State, bool Created);

/// <summary>
/// Fan-out: stores a run's definition, writes one ordinary queued job record per accepted item (ids from
/// <see cref="WorkflowIds.JobIdFor"/>, so a repeated start finds them and writes nothing new), stores the fan-in state and
/// releases the first items to the generation queue (<see cref="WorkflowFeeder"/>). Every step is idempotent, so a start
/// repeated after a crash or a duplicate event completes the same run and creates no second set of jobs.
/// </summary>
public sealed class WorkflowRunStarter(
    WorkflowRunStore runs,
    DiffusionJobsClient jobs,
    WorkflowFeeder feeder,
    IOptions<WorkflowOptions> options,
    TimeProvider time,
    ILogger<WorkflowRunStarter> logger)
{
    /// <summary>Starts (or finishes starting) the run of <paramref name="definition"/>.</summary>
    public async Task<WorkflowRunStart> StartAsync(WorkflowRunDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var (stored, created) = await runs.CreateDefinitionAsync(definition, cancellationToken).ConfigureAwait(false);
        var accepted = stored.Items.Where(i => i.IsAccepted).ToList();
        await Parallel.ForEachAsync(
            accepted,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.StorageConcurrency, CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                var job = JobRecord.CreateQueued(item.JobId!, item.Parameters!, stored.CreatedAt, workflow: new JobWorkflowLink(stored.Id, item.Index));
                try
                {
                    await jobs.CreateAsync(job, ct).ConfigureAwait(false);
                }
                catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
                {
                    // Written by an earlier start of the same run.
                }
            }).ConfigureAwait(false);

        await runs.CreateStateAsync(WorkflowRunState.Start(stored, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        var state = await feeder.ReleaseAsync(stored.Id, cancellationToken).ConfigureAwait(false);
        logger.LogInformation(
            "Workflow run {RunId} ({Kind}) {Outcome}: {Accepted} job(s), {Refused} refused item(s)",
            stored.Id, stored.Kind, created ? "started" : "already existed", accepted.Count, stored.Items.Count - accepted.Count);
        return new WorkflowRunStart(stored, state, created);
    }
}
