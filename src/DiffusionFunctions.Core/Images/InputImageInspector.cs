using DiffusionFunctions.Core.Generation;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Images;

/// <summary>Why an input image was refused; the API maps each kind to its HTTP status.</summary>
public enum InputImageErrorKind
{
    /// <summary>Not valid base64 (400).</summary>
    InvalidEncoding,

    /// <summary>Too many bytes or too many pixels (413).</summary>
    TooLarge,

    /// <summary>Not PNG, JPEG or WebP (415).</summary>
    UnsupportedType,

    /// <summary>Recognised format but an unreadable header (400).</summary>
    Corrupt,
}

/// <summary>An accepted input image: its bytes and what its header says.</summary>
/// <param name="Field">The request field it came from (<c>initImage</c> or <c>mask</c>).</param>
/// <param name="Content">The encoded image bytes, stored as they came.</param>
/// <param name="Header">Format and size from the header.</param>
public sealed record InputImage(string Field, ReadOnlyMemory<byte> Content, ImageHeader Header);

/// <summary>Why an input image was refused.</summary>
/// <param name="Field">The request field (<c>initImage</c> or <c>mask</c>).</param>
/// <param name="Kind">The kind of failure.</param>
/// <param name="Message">A message naming the field and the limit.</param>
public sealed record InputImageError(string Field, InputImageErrorKind Kind, string Message);

/// <summary>
/// Checks input images against <see cref="GenerationOptions"/> limits in the cheapest order: the base64 length
/// before decoding, the byte count, the magic bytes, then the pixel count from the header — never a full decode.
/// </summary>
public sealed class InputImageInspector(IOptions<GenerationOptions> options)
{
    private readonly GenerationOptions _options = options.Value;

    /// <summary>Decodes and inspects a base64 image (an optional <c>data:image/...;base64,</c> prefix is accepted).</summary>
    public InputImageResult InspectBase64(string field, string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        var text = base64.AsSpan().Trim();
        if (text.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = text.IndexOf(',');
            if (comma < 0 || !text[..comma].EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
            {
                return Fail(field, InputImageErrorKind.InvalidEncoding, $"{field} is a data URL without ';base64,'.");
            }

            text = text[(comma + 1)..];
        }

        // Upper bound of the decoded size, known before decoding anything.
        var maxDecoded = (long)text.Length / 4 * 3 + 3;
        var minDecoded = maxDecoded - 5;
        if (minDecoded > _options.MaxInputImageBytes)
        {
            return Fail(field, InputImageErrorKind.TooLarge,
                $"{field} is larger than the {_options.MaxInputImageBytes}-byte limit (about {minDecoded} bytes after base64 decoding).");
        }

        var buffer = new byte[maxDecoded];
        if (text.IsEmpty || !Convert.TryFromBase64Chars(text, buffer, out var written))
        {
            return Fail(field, InputImageErrorKind.InvalidEncoding, $"{field} is not valid base64.");
        }

        return Inspect(field, buffer.AsMemory(0, written));
    }

    /// <summary>Inspects raw image bytes (a multipart file part).</summary>
    public InputImageResult Inspect(string field, ReadOnlyMemory<byte> content)
    {
        if (content.Length > _options.MaxInputImageBytes)
        {
            return Fail(field, InputImageErrorKind.TooLarge,
                $"{field} is {content.Length} bytes; the limit is {_options.MaxInputImageBytes} bytes.");
        }

        if (!ImageFormatSniffer.TryDetectFormat(content.Span, out _))
        {
            return Fail(field, InputImageErrorKind.UnsupportedType, $"{field} must be a PNG, JPEG or WebP image.");
        }

        if (!ImageFormatSniffer.TryReadHeader(content.Span, out var header))
        {
            return Fail(field, InputImageErrorKind.Corrupt, $"{field} has a truncated or corrupt image header.");
        }

        if (header.PixelCount > _options.MaxInputImagePixels)
        {
            return Fail(field, InputImageErrorKind.TooLarge,
                $"{field} is {header.Width}x{header.Height} = {header.PixelCount} pixels; the limit is {_options.MaxInputImagePixels} pixels.");
        }

        return new InputImageResult(new InputImage(field, content, header), null);
    }

    private static InputImageResult Fail(string field, InputImageErrorKind kind, string message)
        => new(null, new InputImageError(field, kind, message));
}

/// <summary>The outcome of an inspection: the image, or the error.</summary>
/// <param name="Image">The accepted image.</param>
/// <param name="Error">Why it was refused.</param>
public sealed record InputImageResult(InputImage? Image, InputImageError? Error);
