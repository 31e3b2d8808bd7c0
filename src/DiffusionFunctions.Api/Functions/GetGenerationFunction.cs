using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.Api.Resources;
using DiffusionFunctions.Core.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace DiffusionFunctions.Api.Functions;

/// <summary><c>GET /api/generations/{id}</c>: the job's status, progress, parameters and short-lived result URLs.</summary>
public sealed class GetGenerationFunction(DiffusionJobsClient jobs, GenerationResourceFactory resources)
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
            return ProblemResults.Validation("id", $"'{id}' is not a job id (32 lowercase hex digits).");
        }

        var job = await jobs.GetAsync(id, cancellationToken);
        return job is null
            ? ProblemResults.JobNotFound(id)
            : new OkObjectResult(await resources.CreateAsync(job, cancellationToken));
    }
}
