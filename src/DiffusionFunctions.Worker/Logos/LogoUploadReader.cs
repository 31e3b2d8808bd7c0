using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Images;
using DiffusionFunctions.Core.Logos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Logos;

/// <summary>
/// Reads one blob of the logo-requests container and says what it is: a JSON brief, a sketch (PNG, JPEG or WebP by its
/// magic bytes, with its sidecar brief <c>{name}.json</c> when there is one), or something refused before validation
/// (too large: 413; neither JSON nor an image: 415; not a JSON object: malformed). The size is checked from the blob's
/// properties before anything is downloaded, and the download is pinned to the ETag those properties gave, so the
/// bytes read are the upload's. Storage errors other than 404 propagate: the message is retried.
/// </summary>
public sealed class LogoUploadReader(
    BlobServiceClient blobService,
    InputImageInspector images,
    IOptions<LogoOptions> options,
    IOptions<GenerationOptions> generation,
    ILogger<LogoUploadReader> logger)
{
    /// <summary>The field name refusals of the sketch image use.</summary>
    public const string SketchField = "sketch";

    private readonly LogoOptions _options = options.Value;

    /// <summary>Reads <paramref name="name"/> in <paramref name="container"/>.</summary>
    public async Task<LogoUploadReadResult> ReadAsync(string container, string name, CancellationToken cancellationToken)
    {
        if (LogoUploadNames.IsRejection(name))
        {
            return new LogoUploadReadResult(LogoUploadReadStatus.Ignored, Reason: "it is a refusal written by the workflow");
        }

        if (LogoUploadNames.IsSidecar(name))
        {
            return new LogoUploadReadResult(LogoUploadReadStatus.Ignored, Reason: "it is a sketch's sidecar brief, read with the sketch");
        }

        var client = blobService.GetBlobContainerClient(container);
        var read = await DownloadAsync(client.GetBlobClient(name), Math.Max(_options.MaxBriefBytes, generation.Value.MaxInputImageBytes), cancellationToken)
            .ConfigureAwait(false);
        if (read is null)
        {
            return new LogoUploadReadResult(LogoUploadReadStatus.Gone);
        }

        var (content, etag, contentType, length) = read.Value;
        if (content is null)
        {
            return Rejected(etag, LogoRejection.TooLarge("upload",
                $"The upload is {length} bytes; a brief may have at most {_options.MaxBriefBytes} and a sketch at most {generation.Value.MaxInputImageBytes}."));
        }

        if (ImageFormatSniffer.TryDetectFormat(content.ToMemory().Span, out _))
        {
            return await ReadSketchAsync(client, name, etag, content, cancellationToken).ConfigureAwait(false);
        }

        if (!LooksLikeJson(name, contentType, content))
        {
            return Rejected(etag, LogoRejection.UnsupportedType("upload",
                $"The upload (content type '{contentType ?? "none"}') is neither a JSON brief nor a PNG, JPEG or WebP sketch."));
        }

        if (content.ToMemory().Length > _options.MaxBriefBytes)
        {
            return Rejected(etag, LogoRejection.TooLarge("upload", $"The brief is {content.ToMemory().Length} bytes; at most {_options.MaxBriefBytes} are accepted."));
        }

        var brief = LogoBriefJsonReader.Read(content.ToMemory());
        if (brief.Brief is null)
        {
            return Rejected(etag, brief.IsMalformed ? LogoRejection.Malformed(brief.Errors) : LogoRejection.Validation(brief.Errors));
        }

        var upload = new LogoUpload(container, name, etag, LogoUploadKind.Brief, brief.Brief, null, Hash(content, null), null);
        return new LogoUploadReadResult(LogoUploadReadStatus.Read, upload, Identity: etag);
    }

    private async Task<LogoUploadReadResult> ReadSketchAsync(BlobContainerClient client, string name, string etag, BinaryData content, CancellationToken cancellationToken)
    {
        var inspected = images.Inspect(SketchField, content.ToMemory());
        if (inspected.Error is { } error)
        {
            return Rejected(etag, error.Kind switch
            {
                InputImageErrorKind.TooLarge => LogoRejection.TooLarge(SketchField, error.Message),
                InputImageErrorKind.UnsupportedType => LogoRejection.UnsupportedType(SketchField, error.Message),
                _ => LogoRejection.Validation(SingleError(SketchField, error.Message)),
            });
        }

        var sidecarName = LogoUploadNames.SidecarName(name);
        var sidecar = await DownloadAsync(client.GetBlobClient(sidecarName), _options.MaxBriefBytes, cancellationToken).ConfigureAwait(false);
        if (sidecar is null)
        {
            var plain = new LogoBrief { Brand = LogoUploadNames.BriefName(name) };
            var alone = new LogoUpload(client.Name, name, etag, LogoUploadKind.Sketch, plain, inspected.Image, Hash(content, null), null);
            return new LogoUploadReadResult(LogoUploadReadStatus.Read, alone, Identity: etag);
        }

        var (sidecarContent, sidecarEtag, _, sidecarLength) = sidecar.Value;
        var identity = etag + "+" + sidecarEtag;
        if (sidecarContent is null)
        {
            return Rejected(identity, LogoRejection.TooLarge("sidecar", $"The sidecar brief {sidecarName} is {sidecarLength} bytes; at most {_options.MaxBriefBytes} are accepted."));
        }

        var brief = LogoBriefJsonReader.Read(sidecarContent.ToMemory());
        if (brief.Brief is null)
        {
            return Rejected(identity, brief.IsMalformed ? LogoRejection.Malformed(brief.Errors) : LogoRejection.Validation(brief.Errors));
        }

        var upload = new LogoUpload(client.Name, name, identity, LogoUploadKind.Sketch, brief.Brief, inspected.Image, Hash(content, sidecarContent), sidecarName);
        return new LogoUploadReadResult(LogoUploadReadStatus.Read, upload, Identity: identity);
    }

    /// <summary>The blob's bytes (null content when larger than <paramref name="maxBytes"/>), or null when it does not exist.</summary>
    private async Task<(BinaryData? Content, string ETag, string? ContentType, long Length)?> DownloadAsync(BlobClient blob, long maxBytes, CancellationToken cancellationToken)
    {
        BlobProperties properties;
        try
        {
            properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }

        var etag = properties.ETag.ToString();
        if (properties.ContentLength > maxBytes)
        {
            return (null, etag, properties.ContentType, properties.ContentLength);
        }

        try
        {
            var downloaded = await blob.DownloadContentAsync(
                new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = properties.ETag } }, cancellationToken).ConfigureAwait(false);
            return (downloaded.Value.Content, etag, properties.ContentType, properties.ContentLength);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Deleted or replaced since its properties were read: a replacement raises its own event and is read then.
            logger.LogInformation("Upload {Blob} changed while it was read ({Status}); its newer version has its own event", blob.Name, ex.Status);
            return null;
        }
    }

    private static LogoUploadReadResult Rejected(string identity, LogoRejection rejection)
        => new(LogoUploadReadStatus.Rejected, Rejection: rejection, Identity: identity);

    private static ValidationErrors SingleError(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return errors;
    }

    private static bool LooksLikeJson(string name, string? contentType, BinaryData content)
    {
        if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || (contentType?.Contains("json", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return true;
        }

        foreach (var b in content.ToMemory().Span)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)
            {
                continue;
            }

            return b is (byte)'{' or (byte)'[';
        }

        return false;
    }

    private static string Hash(BinaryData content, BinaryData? sidecar)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(content.ToMemory().Span);
        if (sidecar is not null)
        {
            hash.AppendData(sidecar.ToMemory().Span);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
