using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Workflows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Workflows;

/// <summary>
/// Completes a run whose items have all finished, exactly once: reads every job record of the run (the completion check:
/// each must be final), has the kind's <see cref="IWorkflowManifestWriter"/> write the manifest, moves the state to its
/// final status with an ETag condition (one delivery wins and is recorded in <see cref="WorkflowRunState.FinishedBy"/>),
/// publishes the completion event, then notes that it did. Only the winner, or a redelivery of the winner's own message
/// after a crash between the final state and the note, publishes; every other delivery returns quietly.
/// </summary>
public sealed class WorkflowCompleter(
    WorkflowRunStore runs,
    DiffusionJobsClient jobs,
    IEnumerable<IWorkflowManifestWriter> writers,
    WorkflowNotifier notifier,
    IOptions<WorkflowOptions> options,
    TimeProvider time,
    ILogger<WorkflowCompleter> logger)
{
    private readonly Dictionary<string, IWorkflowManifestWriter> _writers = writers.ToDictionary(w => w.Kind, StringComparer.Ordinal);

    /// <summary>The token <see cref="CompleteAsync"/> records when a run finishes at its start (every item refused).</summary>
    public const string FinishedAtStart = "start";

    /// <summary>Completes run <paramref name="runId"/> if every item finished; true when this call published the event.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="finishedBy">The job id whose delivery calls this (or <see cref="FinishedAtStart"/>).</param>
    /// <param name="cancellationToken">Cancels the work (the delivery is then retried).</param>
    public async Task<bool> CompleteAsync(string runId, string finishedBy, CancellationToken cancellationToken)
    {
        var state = await runs.GetStateAsync(runId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Run {runId} has no state.");
        if (!state.AllFinished)
        {
            return false;
        }

        var definition = await runs.GetDefinitionAsync(runId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Run {runId} has no definition.");
        if (state.Status == WorkflowRunStatus.Running)
        {
            var outcomes = await ReadOutcomesAsync(definition, cancellationToken).ConfigureAwait(false);
            if (outcomes.Any(o => o.Item.IsAccepted && (o.Job is null || !o.Job.Status.IsFinal())))
            {
                // The state says finished but a record does not: never expected; retried on the next delivery.
                throw new InvalidOperationException($"Run {runId}: every item is recorded as finished, but not every job record is final.");
            }

            var status = state.FinalStatus();
            if (!_writers.TryGetValue(definition.Kind, out var writer))
            {
                throw new InvalidOperationException($"No manifest writer is registered for workflow kind '{definition.Kind}' (run {runId}).");
            }

            var manifest = await writer.WriteAsync(definition, status, outcomes, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            (state, _) = await runs.UpdateStateAsync(
                runId,
                s => s.Status != WorkflowRunStatus.Running ? s : s with
                {
                    Status = status,
                    FinishedAt = now,
                    UpdatedAt = now,
                    FinishedBy = finishedBy,
                    ManifestBlob = manifest.ManifestBlob,
                    SummaryBlob = manifest.SummaryBlob,
                },
                cancellationToken).ConfigureAwait(false);
        }

        if (state.CompletionPublished || state.FinishedBy != finishedBy)
        {
            return false;
        }

        await notifier.PublishAsync(definition, state, cancellationToken).ConfigureAwait(false);
        await runs.UpdateStateAsync(runId, s => s.CompletionPublished ? s : s with { CompletionPublished = true }, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Workflow run {RunId} ({Kind}) {Status}: {Counts}", runId, definition.Kind, state.Status, state.Counts());
        return true;
    }

    private async Task<IReadOnlyList<WorkflowItemOutcome>> ReadOutcomesAsync(WorkflowRunDefinition definition, CancellationToken cancellationToken)
    {
        var outcomes = new WorkflowItemOutcome[definition.Items.Count];
        await Parallel.ForEachAsync(
            definition.Items,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.StorageConcurrency, CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                var job = item.IsAccepted ? await jobs.GetAsync(item.JobId!, ct).ConfigureAwait(false) : null;
                outcomes[item.Index] = new WorkflowItemOutcome(item, job);
            }).ConfigureAwait(false);
        return outcomes;
    }
}
