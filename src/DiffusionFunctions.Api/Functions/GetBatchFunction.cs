using DiffusionFunctions.Api.Batches;
using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Workflows;
using DiffusionFunctions.Core.Workflows.Batches;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace DiffusionFunctions.Api.Functions;

/// <summary><c>GET /api/batches/{id}</c>: counts per status, progress, refused items and, once finished, the manifest URL.</summary>
public sealed class GetBatchFunction(WorkflowRunStore runs, BatchResourceFactory resources)
{
    /// <summary>Reads the batch.</summary>
    [Function(nameof(GetBatch))]
    public async Task<IActionResult> GetBatch(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "batches/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        if (!JobIds.IsValid(id))
        {
            return ProblemResults.Validation("id", $"'{ValidationErrors.Quote(id)}' is not a batch id (32 lowercase hex digits).");
        }

        var definition = await runs.GetDefinitionAsync(id, cancellationToken);
        var state = definition is null ? null : await runs.GetStateAsync(id, cancellationToken);
        if (definition is not { Kind: BatchOptions.Kind } || state is null)
        {
            return ProblemResults.BatchNotFound(id);
        }

        return new OkObjectResult(await resources.CreateAsync(definition, state, cancellationToken));
    }
}
