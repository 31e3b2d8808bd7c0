namespace DiffusionFunctions.Core.Workflows;

/// <summary>How many items of a run are in each state.</summary>
/// <param name="Total">Items submitted (refused ones included).</param>
/// <param name="Pending">Items whose job has not finished (queued or running).</param>
/// <param name="Succeeded">Jobs that produced their images.</param>
/// <param name="Failed">Jobs that failed.</param>
/// <param name="Cancelled">Jobs that were cancelled.</param>
/// <param name="Refused">Items refused by validation or the prompt policy (no job).</param>
public sealed record WorkflowRunCounts(int Total, int Pending, int Succeeded, int Failed, int Cancelled, int Refused)
{
    /// <summary>Items that reached a final state (refused ones included).</summary>
    public int Finished => Total - Pending;

    /// <summary>The counts of a <see cref="WorkflowRunState.Items"/> code string.</summary>
    public static WorkflowRunCounts FromCodes(string codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        int pending = 0, succeeded = 0, failed = 0, cancelled = 0, refused = 0;
        foreach (var code in codes)
        {
            switch (code)
            {
                case WorkflowItemCodes.Succeeded: succeeded++; break;
                case WorkflowItemCodes.Failed: failed++; break;
                case WorkflowItemCodes.Cancelled: cancelled++; break;
                case WorkflowItemCodes.Refused: refused++; break;
                default: pending++; break;
            }
        }

        return new WorkflowRunCounts(codes.Length, pending, succeeded, failed, cancelled, refused);
    }
}
