using DiffusionFunctions.Api.Batches;
using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.Core.Workflows;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace DiffusionFunctions.Api.Functions;

/// <summary>
/// <c>DELETE /api/batches/{id}</c>: cancels the items that have not finished, with the job store's ordinary cancel
/// (queued → cancelled at once, running → stopped by the worker between steps) and no more items released; answers 202
/// with the batch, which becomes <c>cancelled</c> (manifest of what finished, one <c>Workflow.Failed</c> event) once its
/// running items have stopped. Repeating it is harmless; a finished batch answers 409 <c>batch-finished</c>.
/// </summary>
public sealed class CancelBatchFunction(WorkflowRunStore runs, WorkflowFeeder feeder, BatchResourceFactory resources)
{
    /// <summary>Cancels the batch.</summary>
    [Function(nameof(CancelBatch))]
    public Task<IActionResult> CancelBatch(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "batches/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
        => BatchLookup.AnswerAsync(runs, id, async (definition, state) =>
        {
            if (state.Status != WorkflowRunStatus.Running)
            {
                return ProblemResults.BatchFinished(id, state.Status.ToString().ToLowerInvariant());
            }

            state = await feeder.CancelAsync(id, cancellationToken);
            return new ObjectResult(await resources.CreateAsync(definition, state, cancellationToken)) { StatusCode = StatusCodes.Status202Accepted };
        }, cancellationToken);
}
