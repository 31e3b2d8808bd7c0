using DiffusionFunctions.Api.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace DiffusionFunctions.Api.Functions;

/// <summary><c>GET /api/models</c>: the models the deployment serves (the default first), their defaults, ranges, modes and, when published, vocabularies.</summary>
public sealed class GetModelsFunction(ModelCatalog catalog)
{
    /// <summary>Describes the served models.</summary>
    [Function(nameof(GetModels))]
    public IActionResult GetModels(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models")] HttpRequest request)
        => new OkObjectResult(new ModelsResource(catalog.Models));
}
