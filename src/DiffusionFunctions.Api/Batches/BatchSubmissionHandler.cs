using System.Globalization;
using System.Text.Json;
using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Workflows;
using DiffusionFunctions.Core.Workflows.Batches;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Api.Batches;

/// <summary>
/// The work behind <c>POST /api/batches</c>: body (size, JSON object with <c>items</c> and an optional <c>callbackUrl</c>)
/// → each item read and judged on its own (<see cref="BatchItemReader"/>: the generation fields with the API's rules and
/// blocked-term policy, plus untouched <c>labels</c>) → the run started (<see cref="WorkflowRunStarter"/>: one ordinary job
/// per accepted item, the first few released to the queue) → 202 with <c>Location: /api/batches/{id}</c>. Refused items
/// are reported item by item in the answer and do not sink the batch; a batch whose every item is refused is a 422
/// <c>batch-refused</c> and creates nothing. With an <c>Idempotency-Key</c> (<see cref="BatchIdempotency"/>) the same key and body
/// answer the first request's batch (the start is run again, which completes a start that crashed half-way and creates
/// nothing twice); the same key with another body is a 409 naming that batch.
/// </summary>
public sealed class BatchSubmissionHandler(
    BatchItemReader reader,
    GenerationRequestValidator validator,
    WorkflowRunStarter starter,
    BatchResourceFactory resources,
    BatchIdempotency idempotency,
    IOptions<BatchOptions> options,
    IOptions<ApiOptions> apiOptions,
    ILogger<BatchSubmissionHandler> logger)
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    /// <summary>Handles one submission.</summary>
    public async Task<IActionResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var o = options.Value;
        if (!Submission.IdempotencyKeyHeader.TryRead(request, out var key, out var keyProblem))
        {
            return keyProblem!;
        }

        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return ProblemResults.UnsupportedMediaType("Content-Type", $"A batch is a JSON body (application/json), got '{request.ContentType}'.");
        }

        var body = await Submission.LimitedBody.ReadAsync(request.Body, o.MaxRequestBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return ProblemResults.PayloadTooLarge("body", $"The body is larger than the {o.MaxRequestBytes}-byte limit.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            var errors = new ValidationErrors();
            errors.Add("body", $"The body is not valid JSON: {ex.Message.Split(". ")[0]}.");
            return ProblemResults.MalformedBody(errors);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                var errors = new ValidationErrors();
                errors.Add("body", "The body must be a JSON object with an 'items' array.");
                return ProblemResults.MalformedBody(errors);
            }

            var shape = new ValidationErrors();
            JsonElement? items = null;
            string? callbackUrl = null;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "items" when property.Value.ValueKind == JsonValueKind.Array:
                        items = property.Value;
                        break;
                    case "items":
                        shape.Add("items", "items must be an array of generation requests.");
                        break;
                    case "callbackUrl" when property.Value.ValueKind == JsonValueKind.String:
                        callbackUrl = property.Value.GetString();
                        break;
                    case "callbackUrl":
                        shape.Add("callbackUrl", "callbackUrl must be a string.");
                        break;
                    default:
                        shape.Add(property.Name, $"Unknown field '{ValidationErrors.Quote(property.Name)}'; a batch has 'items' and optionally 'callbackUrl'.");
                        break;
                }
            }

            if (shape.IsEmpty && items is null)
            {
                shape.Add("items", "items is required: an array of 1 to " + o.MaxItems.ToString(CultureInfo.InvariantCulture) + " generation requests.");
            }
            else if (items is { } list && (list.GetArrayLength() == 0 || list.GetArrayLength() > o.MaxItems))
            {
                shape.Add("items", $"items must hold 1 to {o.MaxItems} generation requests, got {list.GetArrayLength()}.");
            }

            if (callbackUrl is not null)
            {
                var callbackErrors = validator.ValidateCallbackUrl(callbackUrl);
                if (!callbackErrors.IsEmpty)
                {
                    return ProblemResults.Validation(callbackErrors);
                }
            }

            if (!shape.IsEmpty)
            {
                return ProblemResults.Validation(shape);
            }

            var runId = WorkflowIds.NewRunId();
            var replayed = false;
            if (key is not null)
            {
                var claim = await idempotency.ClaimAsync(key, body, cancellationToken).ConfigureAwait(false);
                if (claim.ConflictingRunId is { } existing)
                {
                    return ProblemResults.BatchIdempotencyConflict(key, existing);
                }

                runId = claim.RunId;
                replayed = !claim.Claimed;
            }

            var batchItems = items!.Value.EnumerateArray().Select((element, index) => reader.ReadItem(runId, index, element)).ToList();
            if (batchItems.All(i => !i.IsAccepted))
            {
                if (key is not null && !replayed)
                {
                    await idempotency.ReleaseAsync(key, cancellationToken).ConfigureAwait(false);
                }

                return ProblemResults.BatchRefused([.. batchItems.Select(i => i.Refusal!)]);
            }

            var definition = reader.Define(runId, batchItems, callbackUrl, "api");
            WorkflowRunStart start;
            try
            {
                start = await starter.StartAsync(definition, cancellationToken).ConfigureAwait(false);
            }
            catch (Azure.RequestFailedException ex) when (replayed && ex.Status is StatusCodes.Status409Conflict or StatusCodes.Status412PreconditionFailed)
            {
                // The key's first request is starting the same run right now and kept winning the conditional writes.
                logger.LogInformation(ex, "Batch {RunId} is still being started by the first request with its idempotency key", runId);
                request.HttpContext.Response.Headers.RetryAfter = apiOptions.Value.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return ProblemResults.IdempotencyInProgress(key!);
            }

            logger.LogInformation("{Outcome} batch {RunId}: {Accepted} of {Total} item(s)", start.Created ? "Accepted" : "Replayed", runId,
                batchItems.Count(i => i.IsAccepted), batchItems.Count);
            if (replayed)
            {
                request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
            }

            var location = UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, new PathString((request.Path.Value?.TrimEnd('/') ?? "/api/batches") + "/" + runId));
            request.HttpContext.Response.Headers.RetryAfter = apiOptions.Value.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return new AcceptedResult(location, await resources.CreateAsync(start.Definition, start.State, cancellationToken).ConfigureAwait(false));
        }
    }
}
