using System.Runtime.InteropServices;
using System.Text;

namespace DiffusionFunctions.Diffusion.Tokenization;

/// <summary>
/// The CLIP text tokenizer of Stable Diffusion, token for token the same as openai/CLIP <c>simple_tokenizer.py</c>
/// (without ftfy): HTML unescaping, whitespace collapsing, lower-casing, CLIP's pre-tokenisation pattern, byte-level BPE
/// with <c>&lt;/w&gt;</c> word ends, then start token, truncation that keeps the end token, and padding.
/// </summary>
/// <remarks>
/// Immutable and thread-safe; build one per model folder and share it. The merge cache is bounded
/// (<see cref="ClipTokenizerOptions.MergeCacheCapacity"/>).
/// <code>
/// var tokenizer = ClipTokenizer.FromModelFolder("models/sd15/tokenizer");
/// var encoded = tokenizer.Encode("a photo of a cat");
/// // encoded.Ids: 49406, 320, 1125, 539, 320, 2368, 49407, 49407, ... (77 ids); encoded.TokenCount: 7
/// </code>
/// </remarks>
public sealed class ClipTokenizer
{
    private const int ReusableBufferLimit = 4096;

    [ThreadStatic]
    private static List<int>? t_tokens;

    private readonly ClipBpeModel _model;
    private readonly bool _unescapeHtml;
    private readonly int _literalStartId;
    private readonly int _literalEndId;

    private ClipTokenizer(ClipBpeModel model, int startTokenId, int endTokenId, int padTokenId, int maxLength, bool unescapeHtml, int literalStartId, int literalEndId)
    {
        _model = model;
        StartTokenId = startTokenId;
        EndTokenId = endTokenId;
        PadTokenId = padTokenId;
        MaxLength = maxLength;
        _unescapeHtml = unescapeHtml;
        _literalStartId = literalStartId;
        _literalEndId = literalEndId;
    }

    /// <summary>Id of <c>&lt;|startoftext|&gt;</c> (49406 in CLIP's vocabulary), written first in every encoding.</summary>
    public int StartTokenId { get; }

    /// <summary>Id of <c>&lt;|endoftext|&gt;</c> (49407), written after the last kept token.</summary>
    public int EndTokenId { get; }

    /// <summary>Id written into unused positions: the end token for Stable Diffusion 1.x, 0 for 2.x.</summary>
    public int PadTokenId { get; }

    /// <summary>Positions in every encoding (77 for CLIP), start and end token included.</summary>
    public int MaxLength { get; }

    /// <summary>Number of ids (49,408 for CLIP).</summary>
    public int VocabularySize => _model.VocabularySize;

    /// <summary>Words currently held in the merge cache (approximate under concurrency).</summary>
    internal int MergeCacheCount => _model.Cache.Count;

    /// <summary>
    /// Loads a Hugging Face tokenizer folder (a Stable Diffusion model's <c>tokenizer/</c>): <c>vocab.json</c> and
    /// <c>merges.txt</c>, plus the optional <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c> for
    /// <c>model_max_length</c> and the bos/eos/pad tokens (Stable Diffusion 1.x values when absent). Passing the model
    /// folder itself also works when it has a <c>tokenizer/</c> subfolder.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException"><c>vocab.json</c> or <c>merges.txt</c> is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed or names a token the vocabulary lacks; the message names the file.</exception>
    public static ClipTokenizer FromModelFolder(string tokenizerDirectory) =>
        FromModelFolder(tokenizerDirectory, unescapeHtml: true);

    /// <summary>As <see cref="FromModelFolder(string)"/>, choosing whether HTML character references are decoded.</summary>
    /// <param name="tokenizerDirectory">The tokenizer folder (or a model folder with a <c>tokenizer/</c> subfolder).</param>
    /// <param name="unescapeHtml"><see langword="true"/> for openai/CLIP behaviour, <see langword="false"/> for Hugging Face's.</param>
    public static ClipTokenizer FromModelFolder(string tokenizerDirectory, bool unescapeHtml)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tokenizerDirectory);
        var directory = ResolveTokenizerDirectory(tokenizerDirectory);
        return LoadFolder(directory, unescapeHtml, path => File.Exists(path) ? File.OpenRead(path) : null);
    }

    /// <summary>
    /// As <see cref="FromModelFolder(string, bool)"/>, reading the files asynchronously (the vocabulary is then built on
    /// the calling thread).
    /// </summary>
    public static async Task<ClipTokenizer> FromModelFolderAsync(
        string tokenizerDirectory,
        bool unescapeHtml = true,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tokenizerDirectory);
        var directory = ResolveTokenizerDirectory(tokenizerDirectory);
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var fileName in FolderFileNames)
        {
            var path = Path.Combine(directory, fileName);
            if (File.Exists(path))
            {
                contents[path] = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            }
        }

        return LoadFolder(directory, unescapeHtml, path => contents.TryGetValue(path, out var bytes) ? new MemoryStream(bytes, writable: false) : null);
    }

    private static readonly string[] FolderFileNames =
    [
        ClipVocabularyFiles.VocabFileName,
        ClipVocabularyFiles.MergesFileName,
        ClipVocabularyFiles.TokenizerConfigFileName,
        ClipVocabularyFiles.SpecialTokensMapFileName,
    ];

    private static ClipTokenizer LoadFolder(string directory, bool unescapeHtml, Func<string, Stream?> openFile)
    {
        var vocabPath = Path.Combine(directory, ClipVocabularyFiles.VocabFileName);
        var mergesPath = Path.Combine(directory, ClipVocabularyFiles.MergesFileName);
        Dictionary<string, int> vocabulary;
        using (var stream = openFile(vocabPath) ?? throw MissingFile(directory, vocabPath))
        {
            vocabulary = ClipVocabularyFiles.ReadVocabJson(stream, vocabPath);
        }

        List<(string First, string Second)> merges;
        using (var stream = openFile(mergesPath) ?? throw MissingFile(directory, mergesPath))
        {
            merges = ClipVocabularyFiles.ReadMergesTxt(stream, mergesPath);
        }

        var settings = ClipVocabularyFiles.ReadFolderSettings(directory, openFile);
        var padId = LookUp(vocabulary, settings.PadToken, $"pad_token (from {settings.PadTokenSource})", vocabPath);
        var startId = LookUp(vocabulary, settings.BosToken, "bos_token", vocabPath);
        var endId = LookUp(vocabulary, settings.EosToken, "eos_token", vocabPath);
        var options = new ClipTokenizerOptions(
            settings.ModelMaxLength ?? ClipTokenizerOptions.DefaultMaxLength,
            padId,
            unescapeHtml);
        var model = ClipBpeModel.Build(vocabulary, merges, options.MergeCacheCapacity, $"'{vocabPath}'", line => $"'{mergesPath}' merge {line + 1}");
        return Build(model, vocabulary, startId, endId, options);
    }

    /// <summary>Loads OpenAI's <c>bpe_simple_vocab_16e6.txt.gz</c> (the merge list CLIP ships; its vocabulary is derived from it).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not the expected gzip merge list; the message names it.</exception>
    public static ClipTokenizer FromOpenAiBpe(string bpeGzPath, ClipTokenizerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bpeGzPath);
        if (!File.Exists(bpeGzPath))
        {
            throw new FileNotFoundException($"The CLIP BPE merge list '{bpeGzPath}' does not exist.", bpeGzPath);
        }

        using var stream = File.OpenRead(bpeGzPath);
        return FromOpenAiBpe(stream, options, bpeGzPath);
    }

    /// <summary>Loads OpenAI's gzip-compressed CLIP merge list from a stream (left open).</summary>
    public static ClipTokenizer FromOpenAiBpe(Stream bpeGzStream, ClipTokenizerOptions? options = null) =>
        FromOpenAiBpe(bpeGzStream, options, "the CLIP BPE stream");

    /// <summary>Builds a tokenizer from Hugging Face <c>vocab.json</c> and <c>merges.txt</c> streams (left open).</summary>
    public static ClipTokenizer Create(Stream vocabJson, Stream mergesTxt, ClipTokenizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vocabJson);
        ArgumentNullException.ThrowIfNull(mergesTxt);
        var vocabulary = ClipVocabularyFiles.ReadVocabJson(vocabJson, "the vocab.json stream");
        var merges = ClipVocabularyFiles.ReadMergesTxt(mergesTxt, "the merges.txt stream");
        return Create(vocabulary, merges, options);
    }

    /// <summary>
    /// Builds a tokenizer from a vocabulary (token text to id) and merges in priority order. The vocabulary must hold
    /// <c>&lt;|startoftext|&gt;</c>, <c>&lt;|endoftext|&gt;</c>, the 512 byte-level symbols and every merge result.
    /// </summary>
    /// <exception cref="ArgumentException">The vocabulary lacks a required token, or the pad id is not in it.</exception>
    public static ClipTokenizer Create(
        IReadOnlyDictionary<string, int> vocabulary,
        IEnumerable<(string First, string Second)> merges,
        ClipTokenizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(merges);
        options ??= ClipTokenizerOptions.StableDiffusion1;
        ClipBpeModel model;
        try
        {
            model = ClipBpeModel.Build(vocabulary, merges, options.MergeCacheCapacity, "the vocabulary", rank => $"Merge {rank + 1}");
        }
        catch (InvalidDataException ex)
        {
            throw new ArgumentException(ex.Message, nameof(vocabulary), ex);
        }

        var startId = vocabulary.TryGetValue(ClipPreTokenizer.StartOfText, out var s) ? s
            : throw new ArgumentException($"The vocabulary has no start token '{ClipPreTokenizer.StartOfText}'.", nameof(vocabulary));
        var endId = vocabulary.TryGetValue(ClipPreTokenizer.EndOfText, out var e) ? e
            : throw new ArgumentException($"The vocabulary has no end token '{ClipPreTokenizer.EndOfText}'.", nameof(vocabulary));
        return Build(model, vocabulary, startId, endId, options);
    }

    /// <summary>
    /// Encodes <paramref name="text"/> into exactly <see cref="MaxLength"/> ids: start token, the BPE tokens (cut after
    /// <see cref="MaxLength"/> - 2 of them, the cut reported in <see cref="ClipTokenization.TruncatedTokenCount"/>),
    /// end token, then <see cref="PadTokenId"/>.
    /// </summary>
    public ClipTokenization Encode(string text)
    {
        var ids = new int[MaxLength];
        var mask = new int[MaxLength];
        var counts = EncodeInto(text, ids, mask);
        return new ClipTokenization(ids, mask, counts.TokenCount, counts.TruncatedTokenCount);
    }

    /// <summary>
    /// As <see cref="Encode(string)"/>, writing into caller buffers (for example a text encoder's int32 input tensor).
    /// </summary>
    /// <param name="text">The prompt.</param>
    /// <param name="ids">Exactly <see cref="MaxLength"/> ids are written here.</param>
    /// <param name="attentionMask"><see cref="MaxLength"/> values of 1 (real token) or 0 (padding), or empty to skip.</param>
    /// <exception cref="ArgumentException">A buffer has the wrong length.</exception>
    public ClipTokenCounts EncodeInto(string text, Span<int> ids, Span<int> attentionMask)
    {
        var tokens = EncodeToBuffer(text, nameof(ids), ids.Length, attentionMask.Length);
        var kept = Math.Min(tokens.Count, MaxLength - 2);
        ids[0] = StartTokenId;
        CollectionsMarshal.AsSpan(tokens)[..kept].CopyTo(ids[1..]);
        ids[kept + 1] = EndTokenId;
        ids[(kept + 2)..MaxLength].Fill(PadTokenId);
        if (!attentionMask.IsEmpty)
        {
            attentionMask[..(kept + 2)].Fill(1);
            attentionMask[(kept + 2)..MaxLength].Clear();
        }

        return new ClipTokenCounts(kept + 2, tokens.Count - kept);
    }

    /// <summary>As <see cref="EncodeInto(string, Span{int}, Span{int})"/> for text encoders whose inputs are int64.</summary>
    public ClipTokenCounts EncodeInto(string text, Span<long> ids, Span<long> attentionMask)
    {
        var tokens = EncodeToBuffer(text, nameof(ids), ids.Length, attentionMask.Length);
        var kept = Math.Min(tokens.Count, MaxLength - 2);
        ids[0] = StartTokenId;
        for (var i = 0; i < kept; i++)
        {
            ids[i + 1] = tokens[i];
        }

        ids[kept + 1] = EndTokenId;
        ids[(kept + 2)..MaxLength].Fill(PadTokenId);
        if (!attentionMask.IsEmpty)
        {
            attentionMask[..(kept + 2)].Fill(1);
            attentionMask[(kept + 2)..MaxLength].Clear();
        }

        return new ClipTokenCounts(kept + 2, tokens.Count - kept);
    }

    /// <summary>
    /// The BPE ids of <paramref name="text"/> alone: no start or end token, no padding, no truncation (the reference's
    /// <c>SimpleTokenizer.encode</c>). For chunking long prompts into 75-token windows and for prompt weighting.
    /// </summary>
    public IReadOnlyList<int> EncodeWithoutSpecialTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<int>();
        EncodeCore(text, tokens);
        return tokens.ToArray();
    }

    /// <summary>
    /// Turns ids back into text as the reference's <c>decode</c> does: token texts joined, byte-level symbols turned back
    /// into UTF-8 (invalid sequences become U+FFFD) and every <c>&lt;/w&gt;</c> replaced by a space, so the result ends
    /// with a space after a word and keeps special tokens as text.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is not in the vocabulary.</exception>
    public string Decode(IEnumerable<int> ids) => Decode(ids, skipSpecialTokens: false);

    /// <summary>As <see cref="Decode(IEnumerable{int})"/>, optionally leaving out the start and end tokens (padding with them included).</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var id in ids)
        {
            if (skipSpecialTokens && (id == StartTokenId || id == EndTokenId))
            {
                continue;
            }

            var token = _model.TokenOf(id)
                ?? throw new ArgumentOutOfRangeException(nameof(ids), id, $"Id {id} is not in the vocabulary (0..{VocabularySize - 1}).");
            foreach (var c in token)
            {
                var b = ByteLevelAlphabet.ToByte(c);
                if (b >= 0)
                {
                    bytes.Add((byte)b);
                }
                else
                {
                    // Not a byte-level symbol (only possible with a hand-made vocabulary): keep the character itself.
                    var written = new Rune(char.IsSurrogate(c) ? '\uFFFD' : c).EncodeToUtf8(utf8);
                    for (var k = 0; k < written; k++)
                    {
                        bytes.Add(utf8[k]);
                    }
                }
            }
        }

        return Encoding.UTF8.GetString([.. bytes]).Replace("</w>", " ", StringComparison.Ordinal);
    }

    /// <summary>The BPE model (for tests that compare merge strategies).</summary>
    internal ClipBpeModel Model => _model;

    /// <summary>Empties the merge cache (for cold-cache measurements).</summary>
    internal void ClearMergeCache() => _model.Cache.Clear();

    /// <summary>Checks the buffers, then encodes into this thread's reusable token list.</summary>
    private List<int> EncodeToBuffer(string text, string idsName, int idsLength, int maskLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (idsLength != MaxLength)
        {
            throw new ArgumentException($"The ids buffer must hold exactly MaxLength ({MaxLength}) values; it holds {idsLength}.", idsName);
        }

        if (maskLength != 0 && maskLength != MaxLength)
        {
            throw new ArgumentException(
                $"The attention mask buffer must hold exactly MaxLength ({MaxLength}) values, or be empty; it holds {maskLength}.",
                "attentionMask");
        }

        var tokens = t_tokens ??= new List<int>(ClipTokenizerOptions.DefaultMaxLength * 2);
        tokens.Clear();
        EncodeCore(text, tokens);
        if (tokens.Capacity > ReusableBufferLimit)
        {
            t_tokens = null; // don't keep a huge prompt's buffer alive on this thread
        }

        return tokens;
    }

    private void EncodeCore(string text, List<int> output)
    {
        var cleaned = ClipTextNormalizer.Normalize(text, _unescapeHtml).AsSpan();
        var position = 0;
        while (ClipPreTokenizer.TryReadNext(cleaned, ref position, out var start, out var length, out var kind))
        {
            if (kind == ClipPreTokenKind.StartOfText && _literalStartId >= 0)
            {
                output.Add(_literalStartId);
            }
            else if (kind == ClipPreTokenKind.EndOfText && _literalEndId >= 0)
            {
                output.Add(_literalEndId);
            }
            else
            {
                _model.AppendWord(cleaned.Slice(start, length), output);
            }
        }
    }

    private static ClipTokenizer FromOpenAiBpe(Stream stream, ClipTokenizerOptions? options, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= ClipTokenizerOptions.StableDiffusion1;
        var source = ClipVocabularyFiles.ReadOpenAiBpe(stream, sourceName);
        var model = ClipBpeModel.Build(source.Vocabulary, source.Merges, options.MergeCacheCapacity, source.VocabularyName, source.DescribeMerge);
        return Build(model, source.Vocabulary, source.Vocabulary[ClipPreTokenizer.StartOfText], source.Vocabulary[ClipPreTokenizer.EndOfText], options);
    }

    private static ClipTokenizer Build(ClipBpeModel model, IReadOnlyDictionary<string, int> vocabulary, int startId, int endId, ClipTokenizerOptions options)
    {
        var padId = options.PadTokenId ?? endId;
        if (model.TokenOf(padId) is null)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                padId,
                $"PadTokenId {padId} is not in the vocabulary (0..{model.VocabularySize - 1}).");
        }

        var literalStart = vocabulary.TryGetValue(ClipPreTokenizer.StartOfText, out var ls) ? ls : -1;
        var literalEnd = vocabulary.TryGetValue(ClipPreTokenizer.EndOfText, out var le) ? le : -1;
        return new ClipTokenizer(model, startId, endId, padId, options.MaxLength, options.UnescapeHtml, literalStart, literalEnd);
    }

    private static string ResolveTokenizerDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The tokenizer folder '{directory}' does not exist.");
        }

        var nested = Path.Combine(directory, "tokenizer");
        return !File.Exists(Path.Combine(directory, ClipVocabularyFiles.VocabFileName))
            && File.Exists(Path.Combine(nested, ClipVocabularyFiles.VocabFileName))
            ? nested
            : directory;
    }

    private static FileNotFoundException MissingFile(string directory, string path) =>
        new(
            $"The tokenizer folder '{directory}' has no {Path.GetFileName(path)}; a CLIP tokenizer needs vocab.json and merges.txt (Hugging Face layout).",
            path);

    private static int LookUp(Dictionary<string, int> vocabulary, string token, string setting, string vocabPath) =>
        vocabulary.TryGetValue(token, out var id)
            ? id
            : throw new InvalidDataException($"The token '{token}' given as {setting} is not in '{vocabPath}'.");
}
