using System.Globalization;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Logos;
using DiffusionFunctions.Core.Storage;
using DiffusionFunctions.Core.Workflows;
using DiffusionFunctions.Diffusion.Onnx;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Logos;

/// <summary>
/// Turns one BlobCreated event of the logo-requests container into a logo run on the workflow core: reads the upload
/// (<see cref="LogoUploadReader"/>), plans the logos (<see cref="LogoBriefValidator"/> with the served model's prompt
/// template), and starts a <c>logo</c> workflow run whose id comes from the upload's container, name and ETag, so every
/// delivery of the same upload starts the same run and its jobs exactly once. A refused upload gets
/// <c>{name}.rejected.json</c> (RFC 7807) beside it and becomes a run with one refused item and no job: the core finishes
/// it at once as failed and its one <c>.Failed</c> event goes out by the usual routes. Events that are not
/// BlobCreated events of the container are logged and dropped (they can never become runs).
/// </summary>
public sealed class LogoUploadProcessor(
    LogoUploadReader reader,
    LogoBriefValidator validator,
    GenerationRequestValidator requests,
    LogoPromptTemplateSource templates,
    WorkflowRunStarter starter,
    WorkflowRunStore runs,
    Workflows.WorkflowCompleter completer,
    BlobServiceClient blobService,
    IOptions<LogoOptions> options,
    IOptions<DiffusionStorageOptions> storage,
    IOptions<WorkerOptions> worker,
    TimeProvider time,
    ILogger<LogoUploadProcessor> logger)
{
    private readonly LogoOptions _options = options.Value;

    /// <summary>The upload container and events queue, for the local run's upload watcher (Event Grid's stand-in).</summary>
    public static Core.Workflows.WorkflowUploadTrigger Trigger(LogoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new Core.Workflows.WorkflowUploadTrigger(options.RequestsContainer, options.RequestsEventsQueue, [".json", ".png", ".jpg", ".jpeg", ".webp"]);
    }

    /// <summary>Handles one queue message; returns the run started (or found), or null when the message starts none.</summary>
    public async Task<WorkflowRunStart?> ProcessAsync(string messageText, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageText);
        BlobCreatedEvent created;
        try
        {
            created = BlobCreatedEvent.Parse(messageText);
        }
        catch (FormatException ex)
        {
            // Not a BlobCreated event of any blob: it can never become a run, and there is no upload to answer.
            logger.LogWarning("Dropped a message on the logo events queue: {Reason}", ex.Message);
            return null;
        }

        if (!string.Equals(created.Container, _options.RequestsContainer, StringComparison.Ordinal))
        {
            logger.LogWarning("Dropped the BlobCreated event of {Container}/{Blob}: not the logo requests container {Expected}",
                created.Container, created.BlobName, _options.RequestsContainer);
            return null;
        }

        var read = await reader.ReadAsync(created.Container, created.BlobName, cancellationToken).ConfigureAwait(false);
        switch (read.Status)
        {
            case LogoUploadReadStatus.Ignored:
                logger.LogInformation("Upload {Blob} starts no logo run: {Reason}", created.BlobName, read.Reason);
                return null;
            case LogoUploadReadStatus.Gone:
                logger.LogInformation("Upload {Blob} no longer exists; nothing to do", created.BlobName);
                return null;
            case LogoUploadReadStatus.Rejected:
                return await StartRefusedAsync(created.Container, created.BlobName, read.Identity!, read.Rejection!, null, cancellationToken).ConfigureAwait(false);
        }

        var upload = read.Upload!;
        var runId = WorkflowIds.RunIdForUpload(LogoRunProperties.Kind, upload.Container, upload.Name, upload.Identity);
        var (template, origin) = templates.Get(ModelFolder());
        var defaultSeed = long.Parse(runId[..8], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var plan = validator.Plan(upload.Brief, template, upload.Kind == LogoUploadKind.Sketch, defaultSeed);
        if (!plan.IsAccepted)
        {
            // The refusal still reaches the brief's callback, but only one that passes the API's own callback rules.
            var callback = upload.Brief.CallbackUrl is { } url && requests.ValidateCallbackUrl(url).IsEmpty ? url : null;
            return await StartRefusedAsync(upload.Container, upload.Name, upload.Identity, plan.Rejection!, callback, cancellationToken).ConfigureAwait(false);
        }

        var items = plan.Items;
        if (upload.Sketch is { } sketch)
        {
            var sketchBlob = await StoreSketchAsync(runId, sketch, cancellationToken).ConfigureAwait(false);
            items = [.. items.Select(i => i with { Parameters = i.Parameters with { InitImageBlob = sketchBlob } })];
        }

        var briefName = LogoUploadNames.BriefName(upload.Name);
        var properties = Properties(upload.Container, upload.Name, upload.Identity);
        properties[LogoRunProperties.BriefName] = briefName;
        properties[LogoRunProperties.BriefHash] = upload.BriefHash;
        properties[LogoRunProperties.UploadKind] = upload.Kind == LogoUploadKind.Sketch ? "sketch" : "brief";
        properties[LogoRunProperties.OutputPrefix] = _options.ResultsPrefix.TrimEnd('/') + "/" + briefName;
        properties[LogoRunProperties.Template] = origin;
        if (upload.SidecarName is { } sidecar)
        {
            properties[LogoRunProperties.Sidecar] = sidecar;
        }

        var definition = new WorkflowRunDefinition
        {
            Id = runId,
            Kind = LogoRunProperties.Kind,
            CreatedAt = time.GetUtcNow(),
            Source = $"blob {upload.Container}/{upload.Name} (etag {upload.Identity})",
            CallbackUrl = plan.CallbackUrl,
            Properties = properties,
            Items = [.. items.Select(i => WorkflowItem.Accepted(runId, i.Index, i.Parameters))],
        };
        var start = await starter.StartAsync(definition, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Logo run {RunId} for {Blob}: {Count} logo(s), {Outcome}",
            runId, upload.Name, items.Count, start.Created ? "started" : "already started by an earlier delivery");
        return start;
    }

    /// <summary>
    /// Answers an upload whose event failed every delivery (the poison queue): if its run was stored, that run is started
    /// again (it carries on where it stopped); otherwise the upload is refused as unprocessed, with a refusal blob and a
    /// <c>.Failed</c> event, so no upload goes without an answer. Null when the message names no upload of the container.
    /// </summary>
    public async Task<WorkflowRunStart?> AnswerPoisonedAsync(string messageText, int attempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageText);
        BlobCreatedEvent created;
        try
        {
            created = BlobCreatedEvent.Parse(messageText);
        }
        catch (FormatException ex)
        {
            logger.LogError("Dropped a poisoned message of the logo events queue: {Reason}", ex.Message);
            return null;
        }

        if (!string.Equals(created.Container, _options.RequestsContainer, StringComparison.Ordinal)
            || LogoUploadNames.IsRejection(created.BlobName) || LogoUploadNames.IsSidecar(created.BlobName))
        {
            return null;
        }

        var blob = blobService.GetBlobContainerClient(created.Container).GetBlobClient(created.BlobName);
        string etag;
        try
        {
            etag = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.ETag.ToString();
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }

        // A sketch's run id also covers its sidecar's ETag; a stored run of either form is carried on.
        var sidecar = blobService.GetBlobContainerClient(created.Container).GetBlobClient(LogoUploadNames.SidecarName(created.BlobName));
        var identities = new List<string> { etag };
        try
        {
            identities.Insert(0, etag + "+" + (await sidecar.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.ETag);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // No sidecar.
        }

        foreach (var identity in identities)
        {
            var runId = WorkflowIds.RunIdForUpload(LogoRunProperties.Kind, created.Container, created.BlobName, identity);
            if (await runs.GetDefinitionAsync(runId, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                logger.LogWarning("Upload {Blob}'s event was poisoned after its run {RunId} was stored; starting the run again", created.BlobName, runId);
                return await starter.StartAsync(stored, cancellationToken).ConfigureAwait(false);
            }
        }

        logger.LogError("Upload {Blob} could not be processed in {Attempts} attempts; answering it as unprocessed", created.BlobName, attempts);
        return await StartRefusedAsync(created.Container, created.BlobName, identities[0], LogoRejection.Unprocessed(attempts), null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A refused upload's run: one refused item, no job; the core fails it at once and sends one <c>.Failed</c> event.</summary>
    private async Task<WorkflowRunStart> StartRefusedAsync(
        string container, string name, string identity, LogoRejection rejection, string? callbackUrl, CancellationToken cancellationToken)
    {
        var runId = WorkflowIds.RunIdForUpload(LogoRunProperties.Kind, container, name, identity);
        var properties = Properties(container, name, identity);
        properties[LogoRunProperties.Rejected] = LogoUploadNames.RejectedName(name);
        properties[LogoRunProperties.BriefName] = LogoUploadNames.BriefName(name);
        properties[LogoRunProperties.OutputPrefix] = _options.ResultsPrefix.TrimEnd('/') + "/" + LogoUploadNames.BriefName(name);
        var refusal = new WorkflowItemRefusal
        {
            Type = rejection.Type,
            Title = rejection.Title,
            Status = rejection.Status,
            Detail = rejection.Detail,
            Errors = rejection.Errors,
            Categories = rejection.Categories,
        };
        var definition = new WorkflowRunDefinition
        {
            Id = runId,
            Kind = LogoRunProperties.Kind,
            CreatedAt = time.GetUtcNow(),
            Source = $"blob {container}/{name} (etag {identity})",
            CallbackUrl = callbackUrl,
            Properties = properties,
            Items = [WorkflowItem.Refused(0, refusal)],
        };
        logger.LogInformation("Upload {Blob} refused ({Type}): {Detail}", name, rejection.Type, rejection.Detail);
        await WriteRejectionAsync(container, name, rejection, cancellationToken).ConfigureAwait(false);
        var start = await starter.StartAsync(definition, cancellationToken).ConfigureAwait(false);
        if (start.State.AllFinished)
        {
            // Nothing to wait for: the run fails now (refusal blob, manifest, one .Failed event); a repeat finds it done.
            await completer.CompleteAsync(runId, Workflows.WorkflowCompleter.FinishedAtStart, cancellationToken).ConfigureAwait(false);
        }

        return start;
    }

    /// <summary>Writes <c>{name}.rejected.json</c> beside the upload (the same bytes on every delivery of the same upload).</summary>
    private async Task WriteRejectionAsync(string container, string name, LogoRejection rejection, CancellationToken cancellationToken)
    {
        var blob = blobService.GetBlobContainerClient(container).GetBlobClient(LogoUploadNames.RejectedName(name));
        await blob.UploadAsync(
            BinaryData.FromBytes((rejection with { Instance = container + "/" + name }).ToJsonBytes()),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/problem+json" } },
            cancellationToken).ConfigureAwait(false);
    }

    private static Dictionary<string, string> Properties(string container, string name, string identity) => new(StringComparer.Ordinal)
    {
        [LogoRunProperties.Container] = container,
        [LogoRunProperties.Upload] = name,
        [LogoRunProperties.Identity] = identity,
    };

    /// <summary>Stores the sketch once per run as the jobs' init image (<c>inputs/{runId}/sketch.{ext}</c>); a repeat overwrites it with the same bytes.</summary>
    private async Task<string> StoreSketchAsync(string runId, Core.Images.InputImage sketch, CancellationToken cancellationToken)
    {
        var name = $"{runId}/sketch.{sketch.Header.Extension}";
        var blob = blobService.GetBlobContainerClient(storage.Value.InputsContainer).GetBlobClient(name);
        await blob.UploadAsync(
            new BinaryData(sketch.Content),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = sketch.Header.ContentType } },
            cancellationToken).ConfigureAwait(false);
        return name;
    }

    private string? ModelFolder()
    {
        try
        {
            return worker.Value.ModelPath is { Length: > 0 } path ? ShippedModel.ResolveConfiguredPath(path) : null;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or ModelFolderException)
        {
            logger.LogWarning(ex, "The model folder could not be resolved; logo prompts use the deployment's or the built-in template");
            return null;
        }
    }
}
