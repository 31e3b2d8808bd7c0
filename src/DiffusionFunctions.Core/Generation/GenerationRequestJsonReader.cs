using System.Text.Json;

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

    private enum Kind
    {
        String,
        Int32,
        Seed,
        Number,
    }

    private static readonly Dictionary<string, Kind> Fields = new(StringComparer.Ordinal)
    {
        ["prompt"] = Kind.String,
        ["negativePrompt"] = Kind.String,
        ["width"] = Kind.Int32,
        ["height"] = Kind.Int32,
        ["steps"] = Kind.Int32,
        ["guidanceScale"] = Kind.Number,
        ["seed"] = Kind.Seed,
        ["scheduler"] = Kind.String,
        ["count"] = Kind.Int32,
        ["mode"] = Kind.String,
        ["initImage"] = Kind.String,
        ["mask"] = Kind.String,
        ["strength"] = Kind.Number,
        ["callbackUrl"] = Kind.String,
        ["model"] = Kind.String,
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

            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            var position = 0;
            var unknownFields = 0;
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

                if (!Fields.TryGetValue(name, out var kind))
                {
                    // The list of known fields is given once, with the first unknown field, not repeated for each.
                    var shown = ValidationErrors.Shorten(name);
                    errors.Add(name, unknownFields++ == 0
                        ? $"'{shown}' is not a known field; known fields: {string.Join(", ", Fields.Keys)}."
                        : $"'{shown}' is not a known field.");
                    continue;
                }

                if (!allowImages && name is "initImage" or "mask")
                {
                    errors.Add(name, $"{name} must be sent as a multipart file part named '{name}', not inside the JSON part.");
                    continue;
                }

                if (!values.TryAdd(name, null))
                {
                    errors.Add(name, $"{name} is given more than once.");
                    continue;
                }

                if (kind == Kind.String && property.Value.ValueKind == JsonValueKind.String && !TryReadString(property.Value, out _))
                {
                    var malformed = new ValidationErrors();
                    malformed.Add(name, $"{name} is not valid Unicode text: it holds a lone surrogate escape (such as \\ud800).");
                    return new GenerationRequestReadResult(null, malformed, IsMalformed: true);
                }

                values[name] = ReadValue(errors, name, kind, property.Value);
            }

            if (!errors.IsEmpty)
            {
                return new GenerationRequestReadResult(null, errors, IsMalformed: false);
            }

            var request = new GenerationRequest
            {
                Prompt = (string?)values.GetValueOrDefault("prompt"),
                NegativePrompt = (string?)values.GetValueOrDefault("negativePrompt"),
                Width = (int?)values.GetValueOrDefault("width"),
                Height = (int?)values.GetValueOrDefault("height"),
                Steps = (int?)values.GetValueOrDefault("steps"),
                GuidanceScale = (double?)values.GetValueOrDefault("guidanceScale"),
                Seed = (long?)values.GetValueOrDefault("seed"),
                Scheduler = (string?)values.GetValueOrDefault("scheduler"),
                Count = (int?)values.GetValueOrDefault("count"),
                Mode = (string?)values.GetValueOrDefault("mode"),
                InitImage = (string?)values.GetValueOrDefault("initImage"),
                Mask = (string?)values.GetValueOrDefault("mask"),
                Strength = (double?)values.GetValueOrDefault("strength"),
                CallbackUrl = (string?)values.GetValueOrDefault("callbackUrl"),
                Model = (string?)values.GetValueOrDefault("model"),
            };
            return new GenerationRequestReadResult(request, errors, IsMalformed: false);
        }
    }

    private static object? ReadValue(ValidationErrors errors, string name, Kind kind, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        switch (kind)
        {
            case Kind.String when value.ValueKind == JsonValueKind.String:
                return value.GetString();
            case Kind.String:
                errors.Add(name, $"{name} must be a string, got {Describe(value)}.");
                return null;
            case Kind.Int32 when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i):
                return i;
            case Kind.Int32:
                errors.Add(name, $"{name} must be an integer, got {Describe(value)}.");
                return null;
            case Kind.Seed when value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var l):
                return l;
            case Kind.Seed:
                errors.Add(name, $"{name} must be an integer between 0 and {GenerationRequestValidator.MaxSeed}, got {Describe(value)}.");
                return null;
            case Kind.Number when value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d):
                return d;
            default:
                errors.Add(name, $"{name} must be a number, got {Describe(value)}.");
                return null;
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

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {Truncate(value.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString(),
    };

    private static string Truncate(string text) => text.Length <= 32 ? text : text[..32] + "…";

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
