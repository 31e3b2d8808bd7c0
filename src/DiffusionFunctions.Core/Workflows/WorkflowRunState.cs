using System.Text;
using DiffusionFunctions.Core.Jobs;

namespace DiffusionFunctions.Core.Workflows;

/// <summary>
/// The fan-in state of a run (<c>runs/{id}/state.json</c> in the jobs container): one code per item
/// (<see cref="WorkflowItemCodes"/>), the feeder's cursor, and the run's final status. Every change is an ETag-conditional
/// read-modify-write (<c>WorkflowRunStore.UpdateStateAsync</c>), and every change is idempotent: recording a job
/// that is already recorded changes nothing, so duplicate deliveries and redeliveries after a crash count once.
/// </summary>
public sealed record WorkflowRunState
{
    /// <summary>The run id.</summary>
    public required string Id { get; init; }

    /// <summary>The run's status.</summary>
    public required WorkflowRunStatus Status { get; init; }

    /// <summary>One <see cref="WorkflowItemCodes"/> character per item, in index order.</summary>
    public required string Items { get; init; }

    /// <summary>
    /// The feeder's cursor: items below it have been released to the generation queue (their messages are sent before the
    /// cursor is written) or were refused; items from it on are held back until running items finish (at most
    /// <see cref="WorkflowOptions.MaxInFlightPerRun"/> in the queue at once).
    /// </summary>
    public required int Released { get; init; }

    /// <summary>The client asked to cancel the run: the feeder releases nothing more and cancels what it held back.</summary>
    public bool CancelRequested { get; init; }

    /// <summary>When the run was last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When every item had finished and the run took its final status.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>
    /// Which delivery finished the run: the job id whose fan-in saw the last item finish (or <c>start</c>). Only a
    /// redelivery of that same job's message publishes the completion event again (after a crash before it was noted).
    /// </summary>
    public string? FinishedBy { get; init; }

    /// <summary>The results-container blob of the manifest, once written.</summary>
    public string? ManifestBlob { get; init; }

    /// <summary>The results-container blob of the summary, once written.</summary>
    public string? SummaryBlob { get; init; }

    /// <summary>True once the completion event was published (a duplicate delivery then publishes nothing).</summary>
    public bool CompletionPublished { get; init; }

    /// <summary>The counts per item state.</summary>
    public WorkflowRunCounts Counts() => WorkflowRunCounts.FromCodes(Items);

    /// <summary>True when no item is pending.</summary>
    public bool AllFinished => !Items.Contains(WorkflowItemCodes.Pending, StringComparison.Ordinal);

    /// <summary>Items released to the queue that have not finished.</summary>
    public int InFlight()
    {
        var inFlight = 0;
        for (var i = 0; i < Released && i < Items.Length; i++)
        {
            if (Items[i] == WorkflowItemCodes.Pending)
            {
                inFlight++;
            }
        }

        return inFlight;
    }

    /// <summary>The initial state of <paramref name="definition"/>: refused items final, nothing released yet.</summary>
    public static WorkflowRunState Start(WorkflowRunDefinition definition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var codes = new StringBuilder(definition.Items.Count);
        foreach (var item in definition.Items)
        {
            codes.Append(item.IsAccepted ? WorkflowItemCodes.Pending : WorkflowItemCodes.Refused);
        }

        return new WorkflowRunState { Id = definition.Id, Status = WorkflowRunStatus.Running, Items = codes.ToString(), Released = 0, UpdatedAt = now };
    }

    /// <summary>Records the final status of item <paramref name="index"/>; the same state when it is already recorded.</summary>
    public WorkflowRunState Record(int index, JobStatus status, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Items.Length);
        var code = WorkflowItemCodes.ForJob(status);
        if (code == WorkflowItemCodes.Pending || Items[index] != WorkflowItemCodes.Pending)
        {
            return this;
        }

        var chars = Items.ToCharArray();
        chars[index] = code;
        return this with { Items = new string(chars), UpdatedAt = now };
    }

    /// <summary>
    /// Moves <see cref="Released"/> forward until <paramref name="maxInFlight"/> pending items are released (refused and
    /// finished items pass without counting); the same state when nothing moves, the run is final or cancelling.
    /// </summary>
    public WorkflowRunState ReleaseNext(int maxInFlight, DateTimeOffset now)
    {
        if (Status != WorkflowRunStatus.Running || CancelRequested)
        {
            return this;
        }

        var inFlight = InFlight();
        var cursor = Released;
        while (cursor < Items.Length && (Items[cursor] != WorkflowItemCodes.Pending || inFlight < maxInFlight))
        {
            if (Items[cursor] == WorkflowItemCodes.Pending)
            {
                inFlight++;
            }

            cursor++;
        }

        return cursor == Released ? this : this with { Released = cursor, UpdatedAt = now };
    }

    /// <summary>The final status the run takes once <see cref="AllFinished"/>.</summary>
    public WorkflowRunStatus FinalStatus()
    {
        if (CancelRequested)
        {
            return WorkflowRunStatus.Cancelled;
        }

        return Items.Contains(WorkflowItemCodes.Succeeded, StringComparison.Ordinal) ? WorkflowRunStatus.Completed : WorkflowRunStatus.Failed;
    }
}
