using System.Globalization;
using System.Text.Json;

namespace DiffusionFunctions.Core.Policy;

/// <summary>
/// Reads a policy document, strictly:
/// <code>{ "version": 1, "terms": [ { "term": "gore", "category": "violence", "match": "word" } ] }</code>
/// <c>term</c>, <c>category</c> and <c>match</c> are required; a term may also have <c>joined</c> (<c>none</c>,
/// <c>words</c>, <c>before</c>, <c>after</c>, <c>both</c>; see <see cref="PromptPolicyJoining"/>) and <c>except</c> (innocent
/// words that contain it); no other property is allowed, <c>version</c> must be 1, <c>term</c> and <c>category</c>
/// must be non-blank strings and <c>match</c> one of <c>word</c>, <c>phrase</c>, <c>substring</c>. Errors throw
/// <see cref="PromptPolicyFormatException"/> naming the source and the entry (<c>terms[3].match</c>). Checks that need
/// the normaliser (a term that normalises to nothing, duplicates after normalisation) happen in
/// <see cref="CompiledPromptPolicy.Create(IReadOnlyList{PromptPolicyTerm}, string)"/>.
/// </summary>
public static class PromptPolicyDocumentParser
{
    /// <summary>The only document version this build reads.</summary>
    public const int SupportedVersion = 1;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 8,
    };

    /// <summary>Parses a UTF-8 policy document.</summary>
    /// <param name="utf8Json">The document bytes (a UTF-8 byte order mark is allowed).</param>
    /// <param name="sourceName">Where the document came from, for error messages (a path, a blob URL, "default").</param>
    /// <returns>The terms in document order.</returns>
    /// <exception cref="PromptPolicyFormatException">The document is not a valid version 1 policy.</exception>
    public static IReadOnlyList<PromptPolicyTerm> Parse(ReadOnlyMemory<byte> utf8Json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        var bytes = utf8Json;
        if (bytes.Span.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        if (!System.Text.Unicode.Utf8.IsValid(bytes.Span))
        {
            throw new PromptPolicyFormatException($"Prompt policy '{sourceName}' is not valid UTF-8 text.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new PromptPolicyFormatException($"Prompt policy '{sourceName}' is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            try
            {
                return ReadRoot(document.RootElement, sourceName);
            }
            catch (InvalidOperationException ex)
            {
                // JSON allows an escaped lone surrogate ("\ud800"); a .NET string cannot hold one, so reading it throws.
                throw new PromptPolicyFormatException($"Prompt policy '{sourceName}' holds text that is not valid Unicode (a lone surrogate escape).", ex);
            }
        }
    }

    /// <summary>Parses a policy document held in a string.</summary>
    /// <inheritdoc cref="Parse(ReadOnlyMemory{byte}, string)"/>
    public static IReadOnlyList<PromptPolicyTerm> Parse(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(System.Text.Encoding.UTF8.GetBytes(json), sourceName);
    }

    private static List<PromptPolicyTerm> ReadRoot(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Error(source, $"the document must be a JSON object, not {Describe(root.ValueKind)}.");
        }

        JsonElement? version = null;
        JsonElement? terms = null;
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "version":
                    version = property.Value;
                    break;
                case "terms":
                    terms = property.Value;
                    break;
                default:
                    throw Error(source, $"unknown property '{property.Name}' (a version 1 document has only 'version' and 'terms').");
            }
        }

        if (version is not { } v)
        {
            throw Error(source, "'version' is missing (expected \"version\": 1).");
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var number))
        {
            throw Error(source, $"'version' must be the number {SupportedVersion}, not {v.GetRawText()}.");
        }

        if (number != SupportedVersion)
        {
            throw Error(source, $"version {number.ToString(CultureInfo.InvariantCulture)} is not supported (this build reads version {SupportedVersion}).");
        }

        if (terms is not { } list)
        {
            throw Error(source, "'terms' is missing (expected an array of { term, category, match }).");
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw Error(source, $"'terms' must be an array, not {Describe(list.ValueKind)}.");
        }

        var result = new List<PromptPolicyTerm>(list.GetArrayLength());
        var index = 0;
        foreach (var entry in list.EnumerateArray())
        {
            result.Add(ReadTerm(entry, index, source));
            index++;
        }

        return result;
    }

    private static PromptPolicyTerm ReadTerm(JsonElement entry, int index, string source)
    {
        var at = $"terms[{index.ToString(CultureInfo.InvariantCulture)}]";
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw Error(source, $"{at} must be an object {{ term, category, match }}, not {Describe(entry.ValueKind)}.");
        }

        string? term = null;
        string? category = null;
        string? match = null;
        string? joined = null;
        List<string>? except = null;
        foreach (var property in entry.EnumerateObject())
        {
            switch (property.Name)
            {
                case "term":
                    term = ReadString(property.Value, $"{at}.term", source);
                    break;
                case "category":
                    category = ReadString(property.Value, $"{at}.category", source);
                    break;
                case "match":
                    match = ReadString(property.Value, $"{at}.match", source);
                    break;
                case "joined":
                    joined = ReadString(property.Value, $"{at}.joined", source);
                    break;
                case "except":
                    except = ReadStrings(property.Value, $"{at}.except", source);
                    break;
                default:
                    throw Error(source, $"{at} has unknown property '{property.Name}' (allowed: term, category, match, and optionally joined, except).");
            }
        }

        if (term is null)
        {
            throw Error(source, $"{at}.term is missing.");
        }

        if (string.IsNullOrWhiteSpace(term))
        {
            throw Error(source, $"{at}.term is empty.");
        }

        if (category is null)
        {
            throw Error(source, $"{at}.category is missing (term '{term}').");
        }

        if (string.IsNullOrWhiteSpace(category))
        {
            throw Error(source, $"{at}.category is empty (term '{term}').");
        }

        if (match is null)
        {
            throw Error(source, $"{at}.match is missing (term '{term}'; expected word, phrase or substring).");
        }

        var kind = match switch
        {
            "word" => PromptPolicyMatchKind.Word,
            "phrase" => PromptPolicyMatchKind.Phrase,
            "substring" => PromptPolicyMatchKind.Substring,
            _ => throw Error(source, $"{at}.match '{match}' is not one of word, phrase, substring (term '{term}')."),
        };

        var joining = joined switch
        {
            null or "none" => PromptPolicyJoining.None,
            "words" => PromptPolicyJoining.Words,
            "before" => PromptPolicyJoining.Before,
            "after" => PromptPolicyJoining.After,
            "both" => PromptPolicyJoining.Both,
            _ => throw Error(source, $"{at}.joined '{joined}' is not one of none, words, before, after, both (term '{term}')."),
        };

        if (joining == PromptPolicyJoining.Words && kind != PromptPolicyMatchKind.Phrase)
        {
            throw Error(source, $"{at}.joined 'words' applies only to match 'phrase' (term '{term}').");
        }

        if (joining != PromptPolicyJoining.None && kind == PromptPolicyMatchKind.Substring)
        {
            throw Error(source, $"{at}.joined does not apply to match 'substring', which already matches inside words (term '{term}').");
        }

        if (except is { Count: > 0 } && (joining is PromptPolicyJoining.None or PromptPolicyJoining.Words) && kind != PromptPolicyMatchKind.Substring)
        {
            throw Error(source, $"{at}.except applies only to terms that match inside words (joined before, after or both, or match 'substring') (term '{term}').");
        }

        return new PromptPolicyTerm(term.Trim(), category.Trim(), kind) { Joined = joining, Except = except ?? [] };
    }

    private static List<string> ReadStrings(JsonElement value, string at, string source)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error(source, $"{at} must be an array of words, not {Describe(value.ValueKind)}.");
        }

        var list = new List<string>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var word = ReadString(item, $"{at}[{i.ToString(CultureInfo.InvariantCulture)}]", source);
            if (string.IsNullOrWhiteSpace(word))
            {
                throw Error(source, $"{at}[{i.ToString(CultureInfo.InvariantCulture)}] is empty.");
            }

            list.Add(word.Trim());
            i++;
        }

        return list;
    }

    private static string ReadString(JsonElement value, string at, string source) =>
        value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Error(source, $"{at} must be a string, not {Describe(value.ValueKind)}.");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static PromptPolicyFormatException Error(string source, string message) =>
        new($"Prompt policy '{source}': {message}");
}
