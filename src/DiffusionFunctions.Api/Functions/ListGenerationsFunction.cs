using System.Globalization;
using DiffusionFunctions.Api.Listing;
using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.Api.Resources;
using DiffusionFunctions.Core.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace DiffusionFunctions.Api.Functions;

/// <summary>
/// <c>GET /api/generations?limit=N</c>: the caller's (<see cref="CallerIdentity"/>) most recent jobs, newest first, read
/// from the caller's day index blobs (<see cref="CallerJobIndex"/>) and then each job's record.
/// </summary>
public sealed class ListGenerationsFunction(
    CallerJobIndex index, DiffusionJobsClient jobs, GenerationResourceFactory resources, ILogger<ListGenerationsFunction> logger)
{
    /// <summary>Jobs listed when the request gives no limit.</summary>
    public const int DefaultLimit = 20;

    /// <summary>The largest accepted limit.</summary>
    public const int MaxLimit = 100;

    /// <summary>Lists the caller's recent jobs.</summary>
    [Function(nameof(ListGenerations))]
    public async Task<IActionResult> ListGenerations(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "generations")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!CallerIdentity.TryRead(request, out var caller, out var callerError))
        {
            return ProblemResults.Validation(CallerIdentity.Header, callerError!);
        }

        var limit = DefaultLimit;
        if (request.Query.TryGetValue("limit", out var limitValues)
            && (limitValues.Count != 1 || !int.TryParse(limitValues.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return ProblemResults.Validation("limit", $"limit must be one integer between 1 and {MaxLimit}.");
        }

        var listed = new List<GenerationResource>(limit);
        foreach (var entry in await index.RecentAsync(caller, limit, cancellationToken))
        {
            JobRecord? job;
            try
            {
                job = await jobs.GetAsync(entry.Id, cancellationToken);
            }
            catch (JobRecordUnreadableException ex)
            {
                logger.LogError(ex, "Listing skips job {JobId}: its record cannot be read", entry.Id);
                continue;
            }

            if (job is not null)
            {
                listed.Add(await resources.CreateAsync(job, cancellationToken));
            }
        }

        return new OkObjectResult(new GenerationListResource(listed));
    }
}
