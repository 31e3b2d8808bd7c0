using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.Core.Generation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace DiffusionFunctions.Api.Submission;

/// <summary>
/// Reads the body of <c>POST /api/generations</c> within <see cref="ApiOptions.MaxRequestBytes"/>:
/// <c>application/json</c> (images as base64 fields), or <c>multipart/form-data</c> with a JSON part named
/// <c>request</c> and file parts named <c>initImage</c> and <c>mask</c>. Anything else is a problem naming the field.
/// </summary>
public sealed class SubmissionBodyReader(IOptions<ApiOptions> options)
{
    /// <summary>The multipart part carrying the JSON fields.</summary>
    public const string RequestPart = "request";

    private readonly int _maxBytes = options.Value.MaxRequestBytes;

    /// <summary>Reads and parses the body of <paramref name="request"/>.</summary>
    public async Task<SubmissionBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType))
        {
            return SubmissionBody.Failed(ProblemResults.UnsupportedMediaType("Content-Type",
                "Content-Type must be application/json or multipart/form-data."));
        }

        var isJson = mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase);
        var isMultipart = mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);
        if (!isJson && !isMultipart)
        {
            return SubmissionBody.Failed(ProblemResults.UnsupportedMediaType("Content-Type",
                $"Content-Type must be application/json or multipart/form-data, got '{mediaType.MediaType}'."));
        }

        if (request.ContentLength > _maxBytes)
        {
            return SubmissionBody.Failed(TooLarge(request.ContentLength.Value));
        }

        var body = await ReadLimitedAsync(request.Body, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return SubmissionBody.Failed(TooLarge(null));
        }

        return isJson ? ParseJson(body, allowImages: true) : await ParseMultipartAsync(mediaType, body, cancellationToken).ConfigureAwait(false);
    }

    private static SubmissionBody ParseJson(ReadOnlyMemory<byte> json, bool allowImages, byte[]? initImagePart = null, byte[]? maskPart = null)
    {
        var read = GenerationRequestJsonReader.Read(json, allowImages, allowImages ? null : RequestPart);
        if (read.IsMalformed)
        {
            return SubmissionBody.Failed(ProblemResults.MalformedBody(read.Errors));
        }

        return read.Request is null
            ? SubmissionBody.Failed(ProblemResults.Validation(read.Errors))
            : SubmissionBody.Parsed(read.Request, initImagePart, maskPart);
    }

    private async Task<SubmissionBody> ParseMultipartAsync(MediaTypeHeaderValue mediaType, byte[] body, CancellationToken cancellationToken)
    {
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary))
        {
            return SubmissionBody.Failed(ProblemResults.Validation("Content-Type", "multipart/form-data needs a boundary parameter."));
        }

        var parts = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var errors = new ValidationErrors();
        try
        {
            var reader = new MultipartReader(boundary, new MemoryStream(body, writable: false)) { BodyLengthLimit = _maxBytes };
            while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase) || disposition.Name.Length == 0)
                {
                    errors.Add("body", "Every multipart part needs Content-Disposition: form-data with a name.");
                    continue;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
                if (name is not (RequestPart or "initImage" or "mask"))
                {
                    errors.Add(name, $"'{ValidationErrors.Shorten(name)}' is not a known part; send '{RequestPart}' (JSON), 'initImage' and 'mask' (files).");
                    if (errors.IsFull)
                    {
                        break;
                    }

                    continue;
                }

                using var content = new MemoryStream();
                await section.Body.CopyToAsync(content, cancellationToken).ConfigureAwait(false);
                if (!parts.TryAdd(name, content.ToArray()))
                {
                    errors.Add(name, $"The part '{name}' is given more than once.");
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            var malformed = new ValidationErrors();
            malformed.Add("body", $"The multipart body is malformed: {ex.Message}");
            return SubmissionBody.Failed(ProblemResults.MalformedBody(malformed));
        }

        if (!errors.IsEmpty)
        {
            return SubmissionBody.Failed(ProblemResults.Validation(errors));
        }

        if (!parts.TryGetValue(RequestPart, out var json))
        {
            return SubmissionBody.Failed(ProblemResults.Validation(RequestPart, $"The multipart body needs a JSON part named '{RequestPart}' holding the request fields."));
        }

        return ParseJson(json, allowImages: false, parts.GetValueOrDefault("initImage"), parts.GetValueOrDefault("mask"));
    }

    private Task<byte[]?> ReadLimitedAsync(Stream body, CancellationToken cancellationToken) => LimitedBody.ReadAsync(body, _maxBytes, cancellationToken);

    private ObjectResult TooLarge(long? length) => ProblemResults.PayloadTooLarge("body", length is { } l
        ? $"The body is {l} bytes; the limit is {_maxBytes} bytes."
        : $"The body is larger than the {_maxBytes}-byte limit.");
}
