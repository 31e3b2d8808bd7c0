using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace DiffusionFunctions.ModelGeneration.Folder;

/// <summary>
/// Minimal stand-in for the tokenizer library's converter: turns OpenAI's <c>bpe_simple_vocab_16e6.txt.gz</c> into the
/// Hugging Face CLIPTokenizer files, following openai/CLIP <c>simple_tokenizer.py</c>: 256 byte symbols, the same with
/// <c>&lt;/w&gt;</c>, the first 48894 merges joined, then <c>&lt;|startoftext|&gt;</c> and <c>&lt;|endoftext|&gt;</c>
/// (49408 entries).
/// </summary>
internal static class OpenAiBpeVocabularyConverter
{
    private const int MergeCount = 49152 - 256 - 2;

    public static async Task<IReadOnlyList<string>> WriteHuggingFaceFilesAsync(string openAiBpeGz, string outputDirectory, string padToken, CancellationToken cancellationToken)
    {
        if (!File.Exists(openAiBpeGz))
        {
            throw new FileNotFoundException($"The CLIP BPE merge list '{openAiBpeGz}' does not exist.", openAiBpeGz);
        }

        string text;
        await using (var file = File.OpenRead(openAiBpeGz))
        await using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        using (var reader = new StreamReader(gzip, Encoding.UTF8))
        {
            text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }

        var lines = text.Split('\n');
        if (lines.Length < MergeCount + 1)
        {
            throw new InvalidDataException($"'{openAiBpeGz}' has {lines.Length} lines; a CLIP merge list needs at least {MergeCount + 1}.");
        }

        var merges = lines.Skip(1).Take(MergeCount).ToArray();
        var vocabulary = new List<string>(49408);
        var byteSymbols = ByteSymbols();
        vocabulary.AddRange(byteSymbols);
        vocabulary.AddRange(byteSymbols.Select(s => s + "</w>"));
        vocabulary.AddRange(merges.Select(m => m.Replace(" ", string.Empty, StringComparison.Ordinal)));
        vocabulary.Add("<|startoftext|>");
        vocabulary.Add("<|endoftext|>");

        Directory.CreateDirectory(outputDirectory);
        var vocab = new JsonObject();
        for (var id = 0; id < vocabulary.Count; id++)
        {
            vocab[vocabulary[id]] = id;
        }

        var vocabPath = Path.Combine(outputDirectory, "vocab.json");
        var mergesPath = Path.Combine(outputDirectory, "merges.txt");
        var configPath = Path.Combine(outputDirectory, "tokenizer_config.json");
        var specialPath = Path.Combine(outputDirectory, "special_tokens_map.json");
        await JsonFile.WriteAsync(vocabPath, vocab, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(mergesPath, "#version: 0.2\n" + string.Join('\n', merges) + "\n", new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        await JsonFile.WriteAsync(configPath, new JsonObject
        {
            ["add_prefix_space"] = false,
            ["bos_token"] = "<|startoftext|>",
            ["do_lower_case"] = true,
            ["eos_token"] = "<|endoftext|>",
            ["errors"] = "replace",
            ["model_max_length"] = 77,
            ["pad_token"] = padToken,
            ["tokenizer_class"] = "CLIPTokenizer",
            ["unk_token"] = "<|endoftext|>",
        }, cancellationToken).ConfigureAwait(false);
        await JsonFile.WriteAsync(specialPath, new JsonObject
        {
            ["bos_token"] = "<|startoftext|>",
            ["eos_token"] = "<|endoftext|>",
            ["pad_token"] = padToken,
            ["unk_token"] = "<|endoftext|>",
        }, cancellationToken).ConfigureAwait(false);
        return [vocabPath, mergesPath, configPath, specialPath];
    }

    /// <summary>GPT-2's <c>bytes_to_unicode</c> values in insertion order: printable bytes first, then the rest mapped to 256+n.</summary>
    private static List<string> ByteSymbols()
    {
        var printable = new List<int>();
        printable.AddRange(Enumerable.Range('!', '~' - '!' + 1));
        printable.AddRange(Enumerable.Range('¡', '¬' - '¡' + 1));
        printable.AddRange(Enumerable.Range('®', 'ÿ' - '®' + 1));
        var symbols = printable.Select(b => ((char)b).ToString()).ToList();
        var next = 0;
        for (var b = 0; b < 256; b++)
        {
            if (!printable.Contains(b))
            {
                symbols.Add(((char)(256 + next++)).ToString());
            }
        }

        return symbols;
    }
}
