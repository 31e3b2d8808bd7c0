using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DiffusionFunctions.Diffusion.Tokenization;

/// <summary>
/// Writes the Hugging Face tokenizer files of a Stable Diffusion model folder (<c>vocab.json</c>, <c>merges.txt</c>,
/// <c>tokenizer_config.json</c>, <c>special_tokens_map.json</c>) from OpenAI's <c>bpe_simple_vocab_16e6.txt.gz</c>, so a
/// folder built here loads with <see cref="ClipTokenizer.FromModelFolder(string)"/> and with Hugging Face's CLIPTokenizer.
/// </summary>
public static class ClipVocabularyConverter
{
    /// <summary>The pad token of Stable Diffusion 1.x (the end token).</summary>
    public const string StableDiffusion1PadToken = "<|endoftext|>";

    /// <summary>The pad token of Stable Diffusion 2.x (<c>"!"</c>, id 0).</summary>
    public const string StableDiffusion2PadToken = "!";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes the four files into <paramref name="outputDirectory"/> (created if needed, files overwritten).</summary>
    /// <param name="openAiBpeGz">Path of <c>bpe_simple_vocab_16e6.txt.gz</c>.</param>
    /// <param name="outputDirectory">The <c>tokenizer/</c> folder to write.</param>
    /// <param name="padToken">The pad token: <see cref="StableDiffusion1PadToken"/> (default) or <see cref="StableDiffusion2PadToken"/>.</param>
    /// <param name="modelMaxLength">The context length written as <c>model_max_length</c> (default 77).</param>
    /// <returns>The paths written, in the order above.</returns>
    /// <exception cref="FileNotFoundException"><paramref name="openAiBpeGz"/> does not exist.</exception>
    /// <exception cref="InvalidDataException">The merge list is malformed (the message names the file).</exception>
    /// <exception cref="ArgumentException"><paramref name="padToken"/> is not in the vocabulary.</exception>
    public static IReadOnlyList<string> WriteHuggingFaceFiles(
        string openAiBpeGz,
        string outputDirectory,
        string padToken = StableDiffusion1PadToken,
        int modelMaxLength = ClipTokenizerOptions.DefaultMaxLength)
    {
        var files = Render(openAiBpeGz, outputDirectory, padToken, modelMaxLength);
        foreach (var (path, content) in files)
        {
            File.WriteAllBytes(path, content);
        }

        return files.Select(f => f.Path).ToArray();
    }

    /// <summary>As <see cref="WriteHuggingFaceFiles"/>, writing asynchronously.</summary>
    public static async Task<IReadOnlyList<string>> WriteHuggingFaceFilesAsync(
        string openAiBpeGz,
        string outputDirectory,
        string padToken = StableDiffusion1PadToken,
        int modelMaxLength = ClipTokenizerOptions.DefaultMaxLength,
        CancellationToken cancellationToken = default)
    {
        var files = Render(openAiBpeGz, outputDirectory, padToken, modelMaxLength);
        foreach (var (path, content) in files)
        {
            await File.WriteAllBytesAsync(path, content, cancellationToken).ConfigureAwait(false);
        }

        return files.Select(f => f.Path).ToArray();
    }

    private static List<(string Path, byte[] Content)> Render(string openAiBpeGz, string outputDirectory, string padToken, int modelMaxLength)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(openAiBpeGz);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        ArgumentException.ThrowIfNullOrEmpty(padToken);
        _ = new ClipTokenizerOptions(modelMaxLength); // same range check and message as the tokenizer
        if (!File.Exists(openAiBpeGz))
        {
            throw new FileNotFoundException($"The CLIP BPE merge list '{openAiBpeGz}' does not exist.", openAiBpeGz);
        }

        ClipVocabularySource source;
        using (var stream = File.OpenRead(openAiBpeGz))
        {
            source = ClipVocabularyFiles.ReadOpenAiBpe(stream, openAiBpeGz);
        }

        if (!source.Vocabulary.ContainsKey(padToken))
        {
            throw new ArgumentException($"The pad token '{padToken}' is not in the CLIP vocabulary.", nameof(padToken));
        }

        Directory.CreateDirectory(outputDirectory);
        return
        [
            (Path.Combine(outputDirectory, ClipVocabularyFiles.VocabFileName), RenderVocab(source.Vocabulary)),
            (Path.Combine(outputDirectory, ClipVocabularyFiles.MergesFileName), RenderMerges(source.Merges)),
            (Path.Combine(outputDirectory, ClipVocabularyFiles.TokenizerConfigFileName), RenderTokenizerConfig(padToken, modelMaxLength)),
            (Path.Combine(outputDirectory, ClipVocabularyFiles.SpecialTokensMapFileName), RenderSpecialTokensMap(padToken)),
        ];
    }

    private static byte[] RenderVocab(IReadOnlyDictionary<string, int> vocabulary)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var (token, id) in vocabulary.OrderBy(p => p.Value))
            {
                writer.WriteNumber(token, id);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static byte[] RenderMerges(IReadOnlyList<(string First, string Second)> merges)
    {
        var sb = new StringBuilder(merges.Count * 10);
        sb.Append("#version: 0.2\n");
        foreach (var (first, second) in merges)
        {
            sb.Append(first).Append(' ').Append(second).Append('\n');
        }

        return new UTF8Encoding(false).GetBytes(sb.ToString());
    }

    private static byte[] RenderTokenizerConfig(string padToken, int modelMaxLength) => RenderJson(writer =>
    {
        writer.WriteBoolean("add_prefix_space", false);
        WriteAddedToken(writer, "bos_token", ClipPreTokenizer.StartOfText, withType: true);
        writer.WriteBoolean("do_lower_case", true);
        WriteAddedToken(writer, "eos_token", ClipPreTokenizer.EndOfText, withType: true);
        writer.WriteString("errors", "replace");
        writer.WriteNumber("model_max_length", modelMaxLength);
        writer.WriteString("pad_token", padToken);
        writer.WriteString("tokenizer_class", "CLIPTokenizer");
        WriteAddedToken(writer, "unk_token", ClipPreTokenizer.EndOfText, withType: true);
    });

    private static byte[] RenderSpecialTokensMap(string padToken) => RenderJson(writer =>
    {
        WriteAddedToken(writer, "bos_token", ClipPreTokenizer.StartOfText, withType: false);
        WriteAddedToken(writer, "eos_token", ClipPreTokenizer.EndOfText, withType: false);
        writer.WriteString("pad_token", padToken);
        WriteAddedToken(writer, "unk_token", ClipPreTokenizer.EndOfText, withType: false);
    });

    private static void WriteAddedToken(Utf8JsonWriter writer, string key, string content, bool withType)
    {
        writer.WriteStartObject(key);
        if (withType)
        {
            writer.WriteString("__type", "AddedToken");
        }

        writer.WriteString("content", content);
        writer.WriteBoolean("lstrip", false);
        writer.WriteBoolean("normalized", true);
        writer.WriteBoolean("rstrip", false);
        writer.WriteBoolean("single_word", false);
        writer.WriteEndObject();
    }

    private static byte[] RenderJson(Action<Utf8JsonWriter> writeProperties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
