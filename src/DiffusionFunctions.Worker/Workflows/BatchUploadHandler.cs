using System.Net;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DiffusionFunctions.Core;
using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Problems;
using DiffusionFunctions.Core.Workflows;
using DiffusionFunctions.Core.Workflows.Batches;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Workflows;

/// <summary>How one batch upload event was handled.</summary>
public enum BatchUploadOutcome
{
    /// <summary>A batch run was started (or, for a duplicate event, found already started).</summary>
    Started,

    /// <summary>The upload was refused as a whole; <c>{name}.rejected.json</c> says why.</summary>
    Rejected,

    /// <summary>Not a batch upload (another container, not <c>.jsonl</c>, gone or replaced since): nothing to do.</summary>
    Ignored,

    /// <summary>The message is not a BlobCreated event; dropped with an error log line.</summary>
    Discarded,
}

/// <summary>
/// Starts a batch from a JSONL upload to <see cref="BatchOptions.RequestsContainer"/>: one item per non-blank line (the
/// fields of <c>POST /api/generations</c> plus <c>labels</c>), judged item by item like <c>POST /api/batches</c>. The run id
/// comes from the container, name and ETag of the upload, so a duplicate event starts nothing new. The answer is written
/// beside the upload: <c>{name}.accepted.json</c> (run id, status path, refused items) or <c>{name}.rejected.json</c> (RFC 7807
/// problem details: too large, not UTF-8, no lines, too many lines). A run whose items are all refused completes at once with
/// a <c>Workflow.Failed</c> event.
/// </summary>
public sealed class BatchUploadHandler(
    BlobServiceClient blobService,
    BatchItemReader reader,
    WorkflowRunStarter starter,
    WorkflowCompleter completer,
    IOptions<BatchOptions> options,
    ILogger<BatchUploadHandler> logger)
{
    /// <summary>The suffix of a JSONL batch upload.</summary>
    public const string Suffix = ".jsonl";

    /// <summary>The trigger the local upload watcher serves for batches.</summary>
    public static WorkflowUploadTrigger Trigger(BatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new WorkflowUploadTrigger(options.RequestsContainer, options.RequestsEventsQueue, [Suffix]);
    }

    /// <summary>Handles one queue message.</summary>
    public async Task<BatchUploadOutcome> HandleAsync(string messageText, CancellationToken cancellationToken)
    {
        BlobCreatedEvent upload;
        try
        {
            upload = BlobCreatedEvent.Parse(messageText);
        }
        catch (FormatException ex)
        {
            logger.LogError("Dropping a batch request event that is not a BlobCreated event: {Reason}", ex.Message);
            return BatchUploadOutcome.Discarded;
        }

        var o = options.Value;
        if (upload.Container != o.RequestsContainer || !upload.BlobName.EndsWith(Suffix, StringComparison.OrdinalIgnoreCase))
        {
            return BatchUploadOutcome.Ignored;
        }

        var container = blobService.GetBlobContainerClient(upload.Container);
        BinaryData content;
        try
        {
            // The event's ETag: a blob replaced since is a new upload with an event of its own.
            var download = await container.GetBlobClient(upload.BlobName).DownloadContentAsync(
                new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = new ETag(upload.ETag) } }, cancellationToken).ConfigureAwait(false);
            content = download.Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.NotFound or (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotModified)
        {
            logger.LogWarning("Batch upload {Blob} (ETag {ETag}) is gone or was replaced; its event is ignored", upload.BlobName, upload.ETag);
            return BatchUploadOutcome.Ignored;
        }

        if (content.ToMemory().Length > o.MaxRequestBytes)
        {
            return await RejectAsync(container, upload, 413, "The upload is too large.", $"The upload must be at most {o.MaxRequestBytes} bytes.", cancellationToken).ConfigureAwait(false);
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content.ToMemory().Span);
        }
        catch (DecoderFallbackException)
        {
            return await RejectAsync(container, upload, 400, "The upload is not valid UTF-8.", "A batch upload is UTF-8 JSONL: one JSON object per line.", cancellationToken).ConfigureAwait(false);
        }

        var lines = BatchItemReader.SplitLines(text.TrimStart('\uFEFF'));
        if (lines.Count == 0 || lines.Count > o.MaxItems)
        {
            return await RejectAsync(container, upload, 400, "The upload has no items, or too many.",
                $"A batch upload has 1 to {o.MaxItems} non-blank lines; this one has {lines.Count}.", cancellationToken).ConfigureAwait(false);
        }

        var runId = WorkflowIds.RunIdForUpload(BatchOptions.Kind, upload.Container, upload.BlobName, upload.ETag);
        var items = lines.Select((line, index) => reader.ReadLine(runId, index, line)).ToList();
        var definition = reader.Define(runId, items, callbackUrl: null, source: $"blob {upload.Container}/{upload.BlobName}",
            new Dictionary<string, string> { ["container"] = upload.Container, ["blob"] = upload.BlobName, ["etag"] = upload.ETag });
        var start = await starter.StartAsync(definition, cancellationToken).ConfigureAwait(false);
        if (start.State.AllFinished)
        {
            await completer.CompleteAsync(runId, WorkflowCompleter.FinishedAtStart, cancellationToken).ConfigureAwait(false);
        }

        var answer = new BatchUploadAnswer(
            runId,
            "/api/batches/" + runId,
            start.Definition.Items.Count,
            start.Definition.Items.Count(i => i.IsAccepted),
            [.. start.Definition.Items.Where(i => !i.IsAccepted).Select(i => new BatchUploadRefusal(i.Index, i.Refusal!))]);
        await WriteAnswerAsync(container, upload.BlobName + ".accepted.json", answer, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Batch upload {Blob} started run {RunId}: {Accepted} of {Total} item(s) accepted", upload.BlobName, runId, answer.Accepted, answer.Items);
        return BatchUploadOutcome.Started;
    }

    private async Task<BatchUploadOutcome> RejectAsync(BlobContainerClient container, BlobCreatedEvent upload, int status, string title, string detail, CancellationToken cancellationToken)
    {
        var problem = new WorkflowItemRefusal { Type = status == 413 ? ProblemTypeUris.Base + "payload-too-large" : ProblemTypeUris.MalformedBody, Title = title, Status = status, Detail = detail };
        await WriteAnswerAsync(container, upload.BlobName + ".rejected.json", problem, cancellationToken).ConfigureAwait(false);
        logger.LogWarning("Batch upload {Blob} rejected: {Detail}", upload.BlobName, detail);
        return BatchUploadOutcome.Rejected;
    }

    private static Task WriteAnswerAsync<T>(BlobContainerClient container, string name, T answer, CancellationToken cancellationToken)
        => container.GetBlobClient(name).UploadAsync(
            new BinaryData(JsonSerializer.SerializeToUtf8Bytes(answer, DiffusionJson.Options)),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken);
}

/// <summary>The answer written beside an accepted batch upload (<c>{name}.accepted.json</c>).</summary>
/// <param name="RunId">The batch id.</param>
/// <param name="Status">The status path, relative to the API's base URL.</param>
/// <param name="Items">Items (non-blank lines).</param>
/// <param name="Accepted">Items that became jobs.</param>
/// <param name="Refused">The refused items, with why.</param>
public sealed record BatchUploadAnswer(string RunId, string Status, int Items, int Accepted, IReadOnlyList<BatchUploadRefusal> Refused);

/// <summary>A refused line of a batch upload.</summary>
/// <param name="Item">Its index (0-based, among non-blank lines).</param>
/// <param name="Problem">Why (RFC 7807 problem details).</param>
public sealed record BatchUploadRefusal(int Item, WorkflowItemRefusal Problem);
