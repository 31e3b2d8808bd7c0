using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Workflows;
using DiffusionFunctions.Core.Workflows.Batches;
using Microsoft.AspNetCore.Mvc;

namespace DiffusionFunctions.Api.Batches;

/// <summary>
/// Finds the batch a <c>/api/batches/{id}</c> route names, for the functions that answer about it: an id that is not a
/// batch id answers 400, a run that does not exist or is not a batch answers 404 <c>batch-not-found</c>.
/// </summary>
public static class BatchLookup
{
    /// <summary>Answers with <paramref name="answer"/> for the batch's definition and state, or with the problem when there is no such batch.</summary>
    public static async Task<IActionResult> AnswerAsync(
        WorkflowRunStore runs,
        string id,
        Func<WorkflowRunDefinition, WorkflowRunState, Task<IActionResult>> answer,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(answer);
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

        return await answer(definition, state);
    }
}
