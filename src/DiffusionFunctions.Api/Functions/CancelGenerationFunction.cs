using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.Api.Resources;
using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace DiffusionFunctions.Api.Functions;

/// <summary>
/// <c>DELETE /api/generations/{id}</c>: cancels a job. Queued → cancelled at once (200); running → cancel requested,
/// the worker stops between steps (202); already cancelled → 200 as it is (idempotent); succeeded or failed → 409
/// <c>job-finished</c>.
/// </summary>
public sealed class CancelGenerationFunction(DiffusionJobsClient jobs, GenerationResourceFactory resources, ILogger<CancelGenerationFunction> logger)
{
    /// <summary>Cancels the job.</summary>
    [Function(nameof(CancelGeneration))]
    public async Task<IActionResult> CancelGeneration(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "generations/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        if (!JobIds.IsValid(id))
        {
            return ProblemResults.Validation("id", $"'{ValidationErrors.Quote(id)}' is not a job id (32 lowercase hex digits).");
        }

        JobRecord job;
        try
        {
            job = await jobs.RequestCancellationAsync(id, cancellationToken);
        }
        catch (JobNotFoundException)
        {
            return ProblemResults.JobNotFound(id);
        }
        catch (InvalidJobTransitionException ex)
        {
            return ProblemResults.JobFinished(id, ex.From.ToWireName());
        }
        catch (JobRecordUnreadableException ex)
        {
            logger.LogError(ex, "DELETE of job {JobId}: its record cannot be read", id);
            return ProblemResults.JobRecordUnreadable(id);
        }

        var resource = await resources.CreateAsync(job, cancellationToken);
        return job.Status == JobStatus.Cancelled
            ? new OkObjectResult(resource)
            : new ObjectResult(resource) { StatusCode = StatusCodes.Status202Accepted };
    }
}
