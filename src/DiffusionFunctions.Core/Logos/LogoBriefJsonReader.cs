using System.Text.Json;
using DiffusionFunctions.Core.Generation;

namespace DiffusionFunctions.Core.Logos;

/// <summary>
/// Reads a <see cref="LogoBrief"/> strictly, like <see cref="GenerationRequestJsonReader"/>: malformed JSON, a non-object,
/// unknown or repeated fields and wrong value types each get a message keyed by the field. Ranges are
/// <see cref="LogoBriefValidator"/>'s.
/// </summary>
public static class LogoBriefJsonReader
{
    /// <summary>The most entries <c>colors</c>, <c>shapes</c> or <c>motifs</c> may hold.</summary>
    public const int MaxListLength = 8;

    private enum Kind
    {
        String,
        StringList,
        Int32,
        Seed,
        Number,
    }

    private static readonly Dictionary<string, Kind> Fields = new(StringComparer.Ordinal)
    {
        ["brand"] = Kind.String,
        ["tagline"] = Kind.String,
        ["style"] = Kind.String,
        ["colors"] = Kind.StringList,
        ["shapes"] = Kind.StringList,
        ["motifs"] = Kind.StringList,
        ["count"] = Kind.Int32,
        ["negativePrompt"] = Kind.String,
        ["seed"] = Kind.Seed,
        ["callbackUrl"] = Kind.String,
        ["width"] = Kind.Int32,
        ["height"] = Kind.Int32,
        ["steps"] = Kind.Int32,
        ["guidanceScale"] = Kind.Number,
        ["scheduler"] = Kind.String,
        ["strength"] = Kind.Number,
    };

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 4 };

    /// <summary>The field names a brief may carry.</summary>
    public static IReadOnlyCollection<string> FieldNames => Fields.Keys;

    /// <summary>Reads <paramref name="utf8Json"/>; on failure the result has no brief and per-field errors.</summary>
    public static LogoBriefReadResult Read(ReadOnlyMemory<byte> utf8Json)
    {
        var errors = new ValidationErrors();
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json.Span))
        {
            errors.Add(GenerationRequestJsonReader.BodyField, "The brief is not valid UTF-8 text.");
            return new LogoBriefReadResult(null, errors, IsMalformed: true);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            errors.Add(GenerationRequestJsonReader.BodyField, $"The brief is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).");
            return new LogoBriefReadResult(null, errors, IsMalformed: true);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(GenerationRequestJsonReader.BodyField, $"The brief must be a JSON object, got {document.RootElement.ValueKind}.");
                return new LogoBriefReadResult(null, errors, IsMalformed: true);
            }

            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            var unknown = 0;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (errors.IsFull)
                {
                    break;
                }

                string name;
                try
                {
                    name = property.Name;
                }
                catch (InvalidOperationException)
                {
                    errors.Add(GenerationRequestJsonReader.BodyField, "A field name is not valid Unicode text.");
                    return new LogoBriefReadResult(null, errors, IsMalformed: true);
                }

                if (!Fields.TryGetValue(name, out var kind))
                {
                    var shown = ValidationErrors.Shorten(name);
                    errors.Add(name, unknown++ == 0
                        ? $"'{shown}' is not a known brief field; known fields: {string.Join(", ", Fields.Keys)}."
                        : $"'{shown}' is not a known brief field.");
                    continue;
                }

                if (!values.TryAdd(name, null))
                {
                    errors.Add(name, $"{name} is given more than once.");
                    continue;
                }

                values[name] = ReadValue(errors, name, kind, property.Value);
            }

            if (!errors.IsEmpty)
            {
                return new LogoBriefReadResult(null, errors, IsMalformed: false);
            }

            var brief = new LogoBrief
            {
                Brand = (string?)values.GetValueOrDefault("brand"),
                Tagline = (string?)values.GetValueOrDefault("tagline"),
                Style = (string?)values.GetValueOrDefault("style"),
                Colors = (IReadOnlyList<string>?)values.GetValueOrDefault("colors"),
                Shapes = (IReadOnlyList<string>?)values.GetValueOrDefault("shapes"),
                Motifs = (IReadOnlyList<string>?)values.GetValueOrDefault("motifs"),
                Count = (int?)values.GetValueOrDefault("count"),
                NegativePrompt = (string?)values.GetValueOrDefault("negativePrompt"),
                Seed = (long?)values.GetValueOrDefault("seed"),
                CallbackUrl = (string?)values.GetValueOrDefault("callbackUrl"),
                Width = (int?)values.GetValueOrDefault("width"),
                Height = (int?)values.GetValueOrDefault("height"),
                Steps = (int?)values.GetValueOrDefault("steps"),
                GuidanceScale = (double?)values.GetValueOrDefault("guidanceScale"),
                Scheduler = (string?)values.GetValueOrDefault("scheduler"),
                Strength = (double?)values.GetValueOrDefault("strength"),
            };
            return new LogoBriefReadResult(brief, errors, IsMalformed: false);
        }
    }

    private static object? ReadValue(ValidationErrors errors, string name, Kind kind, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        try
        {
            switch (kind)
            {
                case Kind.String when value.ValueKind == JsonValueKind.String:
                    return value.GetString();
                case Kind.StringList when value.ValueKind == JsonValueKind.Array:
                    return ReadList(errors, name, value);
                case Kind.StringList:
                    errors.Add(name, $"{name} must be a list of strings, got {Describe(value)}.");
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
                case Kind.Number:
                    errors.Add(name, $"{name} must be a number, got {Describe(value)}.");
                    return null;
                default:
                    errors.Add(name, $"{name} must be a string, got {Describe(value)}.");
                    return null;
            }
        }
        catch (InvalidOperationException)
        {
            errors.Add(name, $"{name} is not valid Unicode text (a lone surrogate escape such as \\ud800).");
            return null;
        }
    }

    private static List<string>? ReadList(ValidationErrors errors, string name, JsonElement array)
    {
        var length = array.GetArrayLength();
        if (length > MaxListLength)
        {
            errors.Add(name, $"{name} may hold at most {MaxListLength} entries, got {length}.");
            return null;
        }

        var list = new List<string>(length);
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
            {
                errors.Add(name, $"{name} must hold non-blank strings; entry {list.Count + 1} is {Describe(item)}.");
                return null;
            }

            list.Add(item.GetString()!.Trim());
        }

        return list;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "the number " + (value.GetRawText() is { Length: <= 32 } raw ? raw : value.GetRawText()[..32] + "…"),
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };
}

/// <summary>The outcome of <see cref="LogoBriefJsonReader.Read"/>.</summary>
/// <param name="Brief">The brief when the JSON had the right shape.</param>
/// <param name="Errors">Per-field messages (empty on success).</param>
/// <param name="IsMalformed">True when the blob was not a JSON object at all.</param>
public sealed record LogoBriefReadResult(LogoBrief? Brief, ValidationErrors Errors, bool IsMalformed);
