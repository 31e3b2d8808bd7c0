using DiffusionFunctions.Api.Batches;
using DiffusionFunctions.Core.Workflows;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace DiffusionFunctions.Api.Functions;

/// <summary>
/// <c>GET /api/batches/{id}</c>: counts per status, progress, refused items and, once finished, the manifest URL. It also
/// repairs the one stall a crash can leave (a start that stored the run but released nothing).
/// </summary>
public sealed class GetBatchFunction(WorkflowRunStore runs, WorkflowFeeder feeder, BatchResourceFactory resources)
{
    /// <summary>Reads the batch.</summary>
    [Function(nameof(GetBatch))]
    public Task<IActionResult> GetBatch(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "batches/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
        => BatchLookup.AnswerAsync(runs, id, async (definition, state) =>
        {
            // A start that died between storing the run and releasing its first items leaves nothing in flight and items held
            // back: no job will ever finish to release them. Every other state has items in flight until all are released, so
            // this is the only stall; releasing again is idempotent (a duplicate message is harmless).
            if (state is { Status: WorkflowRunStatus.Running, CancelRequested: false } && state.Released < state.Items.Length && state.InFlight() == 0)
            {
                state = await feeder.ReleaseAsync(id, cancellationToken);
            }

            return new OkObjectResult(await resources.CreateAsync(definition, state, cancellationToken));
        }, cancellationToken);
}
