using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace DiffusionFunctions.Diffusion.Tokenization;

/// <summary>A vocabulary and merge list as read from files, with names for error messages.</summary>
internal sealed record ClipVocabularySource(
    IReadOnlyDictionary<string, int> Vocabulary,
    IReadOnlyList<(string First, string Second)> Merges,
    string VocabularyName,
    Func<int, string> DescribeMerge);

/// <summary>The special-token settings of a Hugging Face tokenizer folder.</summary>
internal sealed record ClipTokenizerFolderSettings(int? ModelMaxLength, string BosToken, string EosToken, string PadToken, string PadTokenSource);

/// <summary>Readers for the two on-disk forms of the CLIP vocabulary. Every error names the file and, where useful, the line.</summary>
internal static class ClipVocabularyFiles
{
    /// <summary>Merges in OpenAI's file that CLIP uses: 49152 - 256 - 2 (the reference's <c>merges[1:49152-256-2+1]</c>).</summary>
    public const int OpenAiMergeCount = 49152 - 256 - 2;

    public const string VocabFileName = "vocab.json";
    public const string MergesFileName = "merges.txt";
    public const string TokenizerConfigFileName = "tokenizer_config.json";
    public const string SpecialTokensMapFileName = "special_tokens_map.json";

    /// <summary>Reads <c>bpe_simple_vocab_16e6.txt.gz</c> and builds the vocabulary the way the reference does.</summary>
    public static ClipVocabularySource ReadOpenAiBpe(Stream gzipStream, string sourceName)
    {
        var merges = new List<(string, string)>(OpenAiMergeCount);
        try
        {
            using var gzip = new GZipStream(gzipStream, CompressionMode.Decompress, leaveOpen: true);
            using var reader = new StreamReader(gzip, new UTF8Encoding(false, throwOnInvalidBytes: true));
            if (reader.ReadLine() is null)
            {
                throw new InvalidDataException($"'{sourceName}' is empty; expected OpenAI's CLIP BPE merge list (bpe_simple_vocab_16e6.txt.gz).");
            }

            while (merges.Count < OpenAiMergeCount && reader.ReadLine() is { } line)
            {
                merges.Add(ParseMerge(line, sourceName, merges.Count + 2));
            }
        }
        catch (InvalidDataException ex) when (!ex.Message.Contains(sourceName, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'{sourceName}' is not a readable gzip file of UTF-8 text: {ex.Message}", ex);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException($"'{sourceName}' is not valid UTF-8 once decompressed: {ex.Message}", ex);
        }

        if (merges.Count < OpenAiMergeCount)
        {
            throw new InvalidDataException(
                $"'{sourceName}' has {merges.Count} merge lines after its header; CLIP's vocabulary needs {OpenAiMergeCount}.");
        }

        // Ids are positions in the reference's list: 256 byte symbols, the same with </w>, one per merge, then the two
        // special tokens. A repeated entry would keep its later position (dict(zip(vocab, range(len(vocab))))).
        var vocabulary = new Dictionary<string, int>(49408, StringComparer.Ordinal);
        var nextId = 0;
        foreach (var b in ByteLevelAlphabet.BytesInVocabularyOrder)
        {
            vocabulary[ByteLevelAlphabet.ToChar(b).ToString()] = nextId++;
        }

        foreach (var b in ByteLevelAlphabet.BytesInVocabularyOrder)
        {
            vocabulary[ByteLevelAlphabet.ToChar(b) + "</w>"] = nextId++;
        }

        foreach (var (first, second) in merges)
        {
            vocabulary[first + second] = nextId++;
        }

        vocabulary[ClipPreTokenizer.StartOfText] = nextId++;
        vocabulary[ClipPreTokenizer.EndOfText] = nextId;
        return new ClipVocabularySource(vocabulary, merges, $"the vocabulary built from '{sourceName}'", rank => $"'{sourceName}' line {rank + 2}");
    }

    /// <summary>Reads a Hugging Face <c>vocab.json</c>: one object mapping token text to id.</summary>
    public static Dictionary<string, int> ReadVocabJson(Stream stream, string sourceName)
    {
        try
        {
            using var document = JsonDocument.Parse(stream);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"'{sourceName}' must hold a JSON object mapping token text to id; found {document.RootElement.ValueKind}.");
            }

            var vocabulary = new Dictionary<string, int>(49408, StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var id))
                {
                    throw new InvalidDataException($"'{sourceName}' gives token '{property.Name}' the value {property.Value.GetRawText()}; ids must be integers.");
                }

                vocabulary[property.Name] = id;
            }

            if (vocabulary.Count == 0)
            {
                throw new InvalidDataException($"'{sourceName}' holds no tokens.");
            }

            return vocabulary;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"'{sourceName}' is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Reads a Hugging Face <c>merges.txt</c>: an optional <c>#version</c> header, then one <c>first second</c> pair a line.</summary>
    public static List<(string First, string Second)> ReadMergesTxt(Stream stream, string sourceName)
    {
        var merges = new List<(string, string)>(OpenAiMergeCount);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if ((lineNumber == 1 && line.StartsWith("#version", StringComparison.Ordinal)) || line.Length == 0)
            {
                continue;
            }

            merges.Add(ParseMerge(line, sourceName, lineNumber));
        }

        if (merges.Count == 0)
        {
            throw new InvalidDataException($"'{sourceName}' holds no merges.");
        }

        return merges;
    }

    /// <summary>
    /// Reads <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c> (each optional). Where both name a token,
    /// <c>special_tokens_map.json</c> wins, as Hugging Face applies it last. Defaults are Stable Diffusion 1.x's.
    /// </summary>
    /// <param name="directory">The tokenizer folder.</param>
    /// <param name="openFile">Opens a file by path, or returns <see langword="null"/> when it does not exist.</param>
    public static ClipTokenizerFolderSettings ReadFolderSettings(string directory, Func<string, Stream?> openFile)
    {
        var bos = ClipPreTokenizer.StartOfText;
        var eos = ClipPreTokenizer.EndOfText;
        string? pad = null;
        var padSource = "the default (the end token)";
        int? maxLength = null;

        foreach (var fileName in new[] { TokenizerConfigFileName, SpecialTokensMapFileName })
        {
            var path = Path.Combine(directory, fileName);
            using var stream = openFile(path);
            if (stream is null)
            {
                continue;
            }

            using var document = ParseJson(stream, path);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"'{path}' must hold a JSON object; found {root.ValueKind}.");
            }

            bos = ReadToken(root, "bos_token", path) ?? bos;
            eos = ReadToken(root, "eos_token", path) ?? eos;
            if (ReadToken(root, "pad_token", path) is { } padToken)
            {
                (pad, padSource) = (padToken, $"'{path}'");
            }

            if (root.TryGetProperty("model_max_length", out var lengthElement))
            {
                maxLength = ReadModelMaxLength(lengthElement, path);
            }
        }

        return new ClipTokenizerFolderSettings(maxLength, bos, eos, pad ?? eos, padSource);
    }

    private static JsonDocument ParseJson(Stream stream, string path)
    {
        try
        {
            return JsonDocument.Parse(stream);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"'{path}' is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>A token setting: a string, or an AddedToken object with <c>content</c>; null when absent or JSON null.</summary>
    private static string? ReadToken(JsonElement root, string key, string path)
    {
        if (!root.TryGetProperty(key, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString();
        }

        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("content", out var content)
            && content.ValueKind == JsonValueKind.String)
        {
            return content.GetString();
        }

        throw new InvalidDataException($"'{path}' has a '{key}' that is neither a string nor an object with a string 'content'.");
    }

    /// <summary>
    /// <c>model_max_length</c>; Hugging Face writes a huge number (1e30) when a tokenizer has no limit, which means "not
    /// set" here (the default 77 applies).
    /// </summary>
    private static int? ReadModelMaxLength(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var value) || value != Math.Floor(value) || value < 2)
        {
            throw new InvalidDataException($"'{path}' has model_max_length {element.GetRawText()}; expected a whole number of at least 2 (77 for CLIP).");
        }

        return value > ClipTokenizerOptions.MaxSupportedLength ? null : (int)value;
    }

    private static (string, string) ParseMerge(string line, string sourceName, int lineNumber)
    {
        var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            throw new InvalidDataException(
                $"'{sourceName}' line {lineNumber} should be a merge of two symbols separated by a space, but reads '{line}'.");
        }

        return (parts[0], parts[1]);
    }
}
