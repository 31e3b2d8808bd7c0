using DiffusionFunctions.Api.Submission;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace DiffusionFunctions.Api.Functions;

/// <summary><c>POST /api/generations</c>: accepts a generation job (JSON or multipart) and answers 202 with its status URL.</summary>
public sealed class SubmitGenerationFunction(GenerationSubmissionHandler handler)
{
    /// <summary>Runs the submission.</summary>
    [Function(nameof(SubmitGeneration))]
    public Task<IActionResult> SubmitGeneration(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "generations")] HttpRequest request,
        CancellationToken cancellationToken)
        => handler.HandleAsync(request, cancellationToken);
}
