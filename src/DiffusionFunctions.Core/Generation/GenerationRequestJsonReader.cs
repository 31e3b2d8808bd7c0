using System.Text.Json;
using DiffusionFunctions.Core.Json;

namespace DiffusionFunctions.Core.Generation;

/// <summary>
/// Reads a <see cref="GenerationRequest"/> from JSON strictly: malformed JSON, a non-object body, unknown fields,
/// duplicate fields and wrong value types each produce a message keyed by the field name, so clients learn exactly
/// what to fix. Only the JSON shape is checked here; ranges and rules are <see cref="GenerationRequestValidator"/>'s.
/// </summary>
public static class GenerationRequestJsonReader
{
    /// <summary>The error key used for problems with the body as a whole (malformed JSON, not an object).</summary>
    public const string BodyField = "body";

    private static readonly Dictionary<string, JsonFieldKind> Fields = new(StringComparer.Ordinal)
    {
        ["prompt"] = JsonFieldKind.String,
        ["negativePrompt"] = JsonFieldKind.String,
        ["width"] = JsonFieldKind.Int32,
        ["height"] = JsonFieldKind.Int32,
        ["steps"] = JsonFieldKind.Int32,
        ["guidanceScale"] = JsonFieldKind.Number,
        ["seed"] = JsonFieldKind.Seed,
        ["scheduler"] = JsonFieldKind.String,
        ["count"] = JsonFieldKind.Int32,
        ["mode"] = JsonFieldKind.String,
        ["initImage"] = JsonFieldKind.String,
        ["mask"] = JsonFieldKind.String,
        ["strength"] = JsonFieldKind.Number,
        ["callbackUrl"] = JsonFieldKind.String,
        ["model"] = JsonFieldKind.String,
    };

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 8,
    };

    /// <summary>The JSON field names a request may carry, in documentation order.</summary>
    public static IReadOnlyCollection<string> FieldNames => Fields.Keys;

    /// <summary>Reads <paramref name="utf8Json"/>. When <paramref name="allowImages"/> is false, <c>initImage</c> and <c>mask</c> are refused (multipart bodies send them as parts).</summary>
    /// <param name="utf8Json">The JSON.</param>
    /// <param name="allowImages">Whether <c>initImage</c> and <c>mask</c> may be fields.</param>
    /// <param name="part">The multipart part the JSON came from (its name keys whole-body errors), or null for a JSON body.</param>
    public static GenerationRequestReadResult Read(ReadOnlyMemory<byte> utf8Json, bool allowImages = true, string? part = null)
    {
        var errors = new ValidationErrors();
        var bodyField = part ?? BodyField;
        var noun = part is null ? "body" : $"'{part}' part";
        if (InvalidUtf8Offset(utf8Json.Span) is { } offset)
        {
            errors.Add(bodyField, $"The {noun} is not valid UTF-8: the byte at offset {offset} does not start or continue a UTF-8 character.");
            return new GenerationRequestReadResult(null, errors, IsMalformed: true);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            errors.Add(bodyField, $"The {noun} is not valid JSON: {FirstSentence(ex.Message)} (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).");
            return new GenerationRequestReadResult(null, errors, IsMalformed: true);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(bodyField, $"The {noun} must be a JSON object, got {document.RootElement.ValueKind}.");
                return new GenerationRequestReadResult(null, errors, IsMalformed: true);
            }

            var fields = new JsonFieldReader(Fields, errors);
            var position = 0;
            var fieldCount = document.RootElement.GetPropertyCount();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                position++;
                if (errors.IsFull)
                {
                    // Enough to report: a body of 100,000 unknown fields gets a bounded answer in bounded time.
                    errors.AddUnchecked(fieldCount - position + 1);
                    break;
                }

                if (!TryReadName(property, out var name))
                {
                    var malformed = new ValidationErrors();
                    malformed.Add(bodyField, $"In the {noun}, the name of field #{position} is not valid Unicode text (a lone surrogate escape such as \\ud800).");
                    return new GenerationRequestReadResult(null, malformed, IsMalformed: true);
                }

                if (!fields.TryGetKind(name, out var kind))
                {
                    continue;
                }

                if (!allowImages && name is "initImage" or "mask")
                {
                    errors.Add(name, $"{name} must be sent as a multipart file part named '{name}', not inside the JSON part.");
                    continue;
                }

                if (!fields.TryClaim(name))
                {
                    continue;
                }

                if (kind == JsonFieldKind.String && property.Value.ValueKind == JsonValueKind.String && !TryReadString(property.Value, out _))
                {
                    var malformed = new ValidationErrors();
                    malformed.Add(name, $"{name} is not valid Unicode text: it holds a lone surrogate escape (such as \\ud800).");
                    return new GenerationRequestReadResult(null, malformed, IsMalformed: true);
                }

                fields.Read(name, kind, property.Value);
            }

            if (!errors.IsEmpty)
            {
                return new GenerationRequestReadResult(null, errors, IsMalformed: false);
            }

            var request = new GenerationRequest
            {
                Prompt = (string?)fields["prompt"],
                NegativePrompt = (string?)fields["negativePrompt"],
                Width = (int?)fields["width"],
                Height = (int?)fields["height"],
                Steps = (int?)fields["steps"],
                GuidanceScale = (double?)fields["guidanceScale"],
                Seed = (long?)fields["seed"],
                Scheduler = (string?)fields["scheduler"],
                Count = (int?)fields["count"],
                Mode = (string?)fields["mode"],
                InitImage = (string?)fields["initImage"],
                Mask = (string?)fields["mask"],
                Strength = (double?)fields["strength"],
                CallbackUrl = (string?)fields["callbackUrl"],
                Model = (string?)fields["model"],
            };
            return new GenerationRequestReadResult(request, errors, IsMalformed: false);
        }
    }

    /// <summary>
    /// The offset of the first byte that is not part of a well-formed UTF-8 sequence, or null. JsonDocument checks the
    /// structure but leaves string contents to <c>GetString</c>, which would throw on them later.
    /// </summary>
    private static int? InvalidUtf8Offset(ReadOnlySpan<byte> utf8)
    {
        if (System.Text.Unicode.Utf8.IsValid(utf8))
        {
            return null;
        }

        Span<char> chars = stackalloc char[256];
        var offset = 0;
        while (true)
        {
            var status = System.Text.Unicode.Utf8.ToUtf16(utf8[offset..], chars, out var read, out _, replaceInvalidSequences: false);
            offset += read;
            if (status != System.Buffers.OperationStatus.DestinationTooSmall)
            {
                return offset;
            }
        }
    }

    /// <summary>The property's name, or false when it holds an escaped lone surrogate (JSON allows "\ud800", .NET strings do not).</summary>
    private static bool TryReadName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = string.Empty;
            return false;
        }
    }

    private static bool TryReadString(JsonElement value, out string? text)
    {
        try
        {
            text = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd();
    }
}

/// <summary>The outcome of <see cref="GenerationRequestJsonReader.Read"/>.</summary>
/// <param name="Request">The request when the JSON had the right shape.</param>
/// <param name="Errors">Per-field messages (empty on success).</param>
/// <param name="IsMalformed">True when the body was not a JSON object at all.</param>
public sealed record GenerationRequestReadResult(GenerationRequest? Request, ValidationErrors Errors, bool IsMalformed);
