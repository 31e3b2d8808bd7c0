using DiffusionFunctions.Api.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace DiffusionFunctions.Api.Functions;

/// <summary><c>GET /api/models</c>: the model the deployment serves, its defaults, its ranges and, when published, its vocabulary.</summary>
public sealed class GetModelsFunction(ModelCatalog catalog)
{
    /// <summary>Describes the served model.</summary>
    [Function(nameof(GetModels))]
    public IActionResult GetModels(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models")] HttpRequest request)
        => new OkObjectResult(new ModelsResource(catalog.Model is { } model ? [model] : []));
}
