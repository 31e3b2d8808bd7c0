using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.Core.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace DiffusionFunctions.Api.Functions;

/// <summary><c>GET /api/health</c> (anonymous): 200 when the app runs and storage answers, 503 problem otherwise.</summary>
public sealed class HealthFunction(StorageHealthProbe probe)
{
    /// <summary>Checks liveness and storage reachability.</summary>
    [Function(nameof(Health))]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var storage = await probe.CheckAsync(cancellationToken);
        return storage.IsHealthy
            ? new OkObjectResult(new HealthReport("healthy", "reachable"))
            : ProblemResults.StorageUnavailable(storage.Detail ?? "Storage is unreachable.");
    }
}

/// <summary>The body of a healthy <c>GET /api/health</c>.</summary>
/// <param name="Status">Always <c>healthy</c>.</param>
/// <param name="Storage">Always <c>reachable</c>.</param>
public sealed record HealthReport(string Status, string Storage);
