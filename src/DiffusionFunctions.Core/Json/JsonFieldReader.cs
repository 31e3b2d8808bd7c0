using System.Text.Json;
using DiffusionFunctions.Core.Generation;

namespace DiffusionFunctions.Core.Json;

/// <summary>
/// Reads the fields of one JSON object against a table of field kinds, for the strict readers
/// (<see cref="GenerationRequestJsonReader"/>, <see cref="Logos.LogoBriefJsonReader"/>): unknown fields, repeated fields
/// and values of the wrong type each add a message keyed by the field to the errors given; the values read are kept by
/// name. One instance reads one object; the caller walks the properties and decides what a whole-body problem means.
/// </summary>
public sealed class JsonFieldReader
{
    private readonly IReadOnlyDictionary<string, JsonFieldKind> fields;
    private readonly ValidationErrors errors;
    private readonly string fieldNoun;
    private readonly string arrayNoun;
    private readonly int maxListLength;
    private readonly Dictionary<string, object?> values = new(StringComparer.Ordinal);
    private int unknownFields;

    /// <summary>A reader for one object.</summary>
    /// <param name="fields">The known fields and their kinds; the key order is the order the unknown-field message lists them in.</param>
    /// <param name="errors">Where field messages go.</param>
    /// <param name="fieldNoun">What an unknown field is not ("'x' is not a known field").</param>
    /// <param name="arrayNoun">How an array is described in type messages ("got an array").</param>
    /// <param name="maxListLength">The most entries a <see cref="JsonFieldKind.StringList"/> field may hold.</param>
    public JsonFieldReader(
        IReadOnlyDictionary<string, JsonFieldKind> fields,
        ValidationErrors errors,
        string fieldNoun = "field",
        string arrayNoun = "an array",
        int maxListLength = 0)
    {
        this.fields = fields;
        this.errors = errors;
        this.fieldNoun = fieldNoun;
        this.arrayNoun = arrayNoun;
        this.maxListLength = maxListLength;
    }

    /// <summary>The value read for <paramref name="name"/>, or null when it was absent or JSON null.</summary>
    public object? this[string name] => values.GetValueOrDefault(name);

    /// <summary>The kind of a known field; for an unknown one adds an error (the first also lists the known fields) and returns false.</summary>
    public bool TryGetKind(string name, out JsonFieldKind kind)
    {
        if (fields.TryGetValue(name, out kind))
        {
            return true;
        }

        // The list of known fields is given once, with the first unknown field, not repeated for each.
        var shown = ValidationErrors.Shorten(name);
        errors.Add(name, unknownFields++ == 0
            ? $"'{shown}' is not a known {fieldNoun}; known fields: {string.Join(", ", fields.Keys)}."
            : $"'{shown}' is not a known {fieldNoun}.");
        return false;
    }

    /// <summary>Marks <paramref name="name"/> as seen; a second time adds an error and returns false.</summary>
    public bool TryClaim(string name)
    {
        if (values.TryAdd(name, null))
        {
            return true;
        }

        errors.Add(name, $"{name} is given more than once.");
        return false;
    }

    /// <summary>Reads <paramref name="value"/> as <paramref name="kind"/> and keeps it (null and an error when it has the wrong type).</summary>
    public void Read(string name, JsonFieldKind kind, JsonElement value)
        => values[name] = ReadValue(name, kind, value);

    private object? ReadValue(string name, JsonFieldKind kind, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        try
        {
            switch (kind)
            {
                case JsonFieldKind.String when value.ValueKind == JsonValueKind.String:
                    return value.GetString();
                case JsonFieldKind.StringList when value.ValueKind == JsonValueKind.Array:
                    return ReadList(name, value);
                case JsonFieldKind.StringList:
                    errors.Add(name, $"{name} must be a list of strings, got {Describe(value)}.");
                    return null;
                case JsonFieldKind.Int32 when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i):
                    return i;
                case JsonFieldKind.Int32:
                    errors.Add(name, $"{name} must be an integer, got {Describe(value)}.");
                    return null;
                case JsonFieldKind.Seed when value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var l):
                    return l;
                case JsonFieldKind.Seed:
                    errors.Add(name, $"{name} must be an integer between 0 and {GenerationRequestValidator.MaxSeed}, got {Describe(value)}.");
                    return null;
                case JsonFieldKind.Number when value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d):
                    return d;
                case JsonFieldKind.Number:
                    errors.Add(name, $"{name} must be a number, got {Describe(value)}.");
                    return null;
                default:
                    errors.Add(name, $"{name} must be a string, got {Describe(value)}.");
                    return null;
            }
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate ("\ud800"): valid JSON, not a .NET string.
            errors.Add(name, $"{name} is not valid Unicode text (a lone surrogate escape such as \\ud800).");
            return null;
        }
    }

    private List<string>? ReadList(string name, JsonElement array)
    {
        var length = array.GetArrayLength();
        if (length > maxListLength)
        {
            errors.Add(name, $"{name} may hold at most {maxListLength} entries, got {length}.");
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

    private string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {Truncate(value.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => arrayNoun,
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };

    private static string Truncate(string text) => text.Length <= 32 ? text : text[..32] + "…";
}
