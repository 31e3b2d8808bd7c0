using System.Text.Json;
using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Json;

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

    private static readonly Dictionary<string, JsonFieldKind> Fields = new(StringComparer.Ordinal)
    {
        ["brand"] = JsonFieldKind.String,
        ["tagline"] = JsonFieldKind.String,
        ["style"] = JsonFieldKind.String,
        ["colors"] = JsonFieldKind.StringList,
        ["shapes"] = JsonFieldKind.StringList,
        ["motifs"] = JsonFieldKind.StringList,
        ["count"] = JsonFieldKind.Int32,
        ["negativePrompt"] = JsonFieldKind.String,
        ["seed"] = JsonFieldKind.Seed,
        ["callbackUrl"] = JsonFieldKind.String,
        ["width"] = JsonFieldKind.Int32,
        ["height"] = JsonFieldKind.Int32,
        ["steps"] = JsonFieldKind.Int32,
        ["guidanceScale"] = JsonFieldKind.Number,
        ["scheduler"] = JsonFieldKind.String,
        ["strength"] = JsonFieldKind.Number,
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

            var fields = new JsonFieldReader(Fields, errors, fieldNoun: "brief field", arrayNoun: "a list", maxListLength: MaxListLength);
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

                if (!fields.TryGetKind(name, out var kind) || !fields.TryClaim(name))
                {
                    continue;
                }

                fields.Read(name, kind, property.Value);
            }

            if (!errors.IsEmpty)
            {
                return new LogoBriefReadResult(null, errors, IsMalformed: false);
            }

            var brief = new LogoBrief
            {
                Brand = (string?)fields["brand"],
                Tagline = (string?)fields["tagline"],
                Style = (string?)fields["style"],
                Colors = (IReadOnlyList<string>?)fields["colors"],
                Shapes = (IReadOnlyList<string>?)fields["shapes"],
                Motifs = (IReadOnlyList<string>?)fields["motifs"],
                Count = (int?)fields["count"],
                NegativePrompt = (string?)fields["negativePrompt"],
                Seed = (long?)fields["seed"],
                CallbackUrl = (string?)fields["callbackUrl"],
                Width = (int?)fields["width"],
                Height = (int?)fields["height"],
                Steps = (int?)fields["steps"],
                GuidanceScale = (double?)fields["guidanceScale"],
                Scheduler = (string?)fields["scheduler"],
                Strength = (double?)fields["strength"],
            };
            return new LogoBriefReadResult(brief, errors, IsMalformed: false);
        }
    }
}

/// <summary>The outcome of <see cref="LogoBriefJsonReader.Read"/>.</summary>
/// <param name="Brief">The brief when the JSON had the right shape.</param>
/// <param name="Errors">Per-field messages (empty on success).</param>
/// <param name="IsMalformed">True when the blob was not a JSON object at all.</param>
public sealed record LogoBriefReadResult(LogoBrief? Brief, ValidationErrors Errors, bool IsMalformed);
