using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.Api.Resources;
using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace DiffusionFunctions.Api.Functions;

/// <summary><c>GET /api/generations/{id}</c>: the job's status, progress, parameters and short-lived result URLs.</summary>
public sealed class GetGenerationFunction(DiffusionJobsClient jobs, GenerationResourceFactory resources, ILogger<GetGenerationFunction> logger)
{
    /// <summary>Reads the job.</summary>
    [Function(nameof(GetGeneration))]
    public async Task<IActionResult> GetGeneration(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "generations/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        if (!JobIds.IsValid(id))
        {
            return ProblemResults.Validation("id", $"'{ValidationErrors.Quote(id)}' is not a job id (32 lowercase hex digits).");
        }

        JobRecord? job;
        try
        {
            job = await jobs.GetAsync(id, cancellationToken);
        }
        catch (JobRecordUnreadableException ex)
        {
            logger.LogError(ex, "GET of job {JobId}: its record cannot be read", id);
            return ProblemResults.JobRecordUnreadable(id);
        }

        return job is null
            ? ProblemResults.JobNotFound(id)
            : new OkObjectResult(await resources.CreateAsync(job, cancellationToken));
    }
}
