namespace DiffusionFunctions.Diffusion.Tokenization;

/// <summary>
/// How a <see cref="ClipTokenizer"/> frames its output: the number of positions, the padding token and the text clean-up.
/// Validated when constructed; immutable afterwards.
/// </summary>
/// <remarks>
/// Stable Diffusion 1.x pads with the end token <c>&lt;|endoftext|&gt;</c> (49407, the default here);
/// Stable Diffusion 2.x pads with id 0 (its <c>tokenizer_config.json</c> says <c>"pad_token": "!"</c>).
/// <see cref="ClipTokenizer.FromModelFolder(string)"/> reads both values from the model folder instead.
/// </remarks>
public sealed class ClipTokenizerOptions
{
    /// <summary>The CLIP text encoder's context length: 77 positions.</summary>
    public const int DefaultMaxLength = 77;

    /// <summary>The largest accepted <see cref="MaxLength"/>.</summary>
    public const int MaxSupportedLength = 65_536;

    /// <summary>Default number of words whose merge result is remembered.</summary>
    public const int DefaultMergeCacheCapacity = 65_536;

    /// <summary>Creates validated options.</summary>
    /// <param name="maxLength">Positions in <see cref="ClipTokenization.Ids"/>, start and end token included (default 77).</param>
    /// <param name="padTokenId">Id written into unused positions; <see langword="null"/> (default) pads with the end token.</param>
    /// <param name="unescapeHtml">
    /// Whether HTML character references are decoded (twice) before tokenising, as openai/CLIP does (default
    /// <see langword="true"/>). Hugging Face's <c>CLIPTokenizer</c> does not decode them; pass <see langword="false"/> to match it.
    /// </param>
    /// <param name="mergeCacheCapacity">Words whose BPE result is cached (0 disables the cache; default 65,536).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its documented range.</exception>
    public ClipTokenizerOptions(
        int maxLength = DefaultMaxLength,
        int? padTokenId = null,
        bool unescapeHtml = true,
        int mergeCacheCapacity = DefaultMergeCacheCapacity)
    {
        if (maxLength is < 2 or > MaxSupportedLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxLength),
                maxLength,
                $"MaxLength must be between 2 (the start and end tokens) and {MaxSupportedLength}; CLIP text encoders use {DefaultMaxLength}.");
        }

        if (padTokenId is < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(padTokenId),
                padTokenId,
                "PadTokenId must be a vocabulary id (0 or more), or null to pad with the end token.");
        }

        if (mergeCacheCapacity < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(mergeCacheCapacity),
                mergeCacheCapacity,
                "MergeCacheCapacity must be 0 (no cache) or more.");
        }

        MaxLength = maxLength;
        PadTokenId = padTokenId;
        UnescapeHtml = unescapeHtml;
        MergeCacheCapacity = mergeCacheCapacity;
    }

    /// <summary>Stable Diffusion 1.x: 77 positions padded with the end token (49407).</summary>
    public static ClipTokenizerOptions StableDiffusion1 { get; } = new();

    /// <summary>Stable Diffusion 2.x: 77 positions padded with id 0 (<c>"!"</c>).</summary>
    public static ClipTokenizerOptions StableDiffusion2 { get; } = new(padTokenId: 0);

    /// <summary>Positions in every encoding, start and end token included.</summary>
    public int MaxLength { get; }

    /// <summary>The padding id, or <see langword="null"/> to pad with the end token.</summary>
    public int? PadTokenId { get; }

    /// <summary>Whether HTML character references are decoded before tokenising (openai/CLIP behaviour).</summary>
    public bool UnescapeHtml { get; }

    /// <summary>Words whose BPE result is cached; 0 disables the cache.</summary>
    public int MergeCacheCapacity { get; }
}
