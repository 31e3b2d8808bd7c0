using DiffusionFunctions.Api.Batches;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace DiffusionFunctions.Api.Functions;

/// <summary><c>POST /api/batches</c>: accepts a batch of generation requests and answers 202 with its status URL.</summary>
public sealed class SubmitBatchFunction(BatchSubmissionHandler handler)
{
    /// <summary>Runs the submission.</summary>
    [Function(nameof(SubmitBatch))]
    public Task<IActionResult> SubmitBatch(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "batches")] HttpRequest request,
        CancellationToken cancellationToken)
        => handler.HandleAsync(request, cancellationToken);
}
