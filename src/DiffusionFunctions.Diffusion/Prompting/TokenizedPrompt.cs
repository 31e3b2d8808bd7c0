namespace DiffusionFunctions.Diffusion.Prompting;

/// <summary>
/// A prompt as text-encoder input: one or more chunks of <see cref="ChunkLength"/> token ids (start token, up to 75 prompt
/// tokens, end token, padding) with one weight per position.
/// </summary>
public sealed class TokenizedPrompt
{
    internal TokenizedPrompt(int chunkLength, List<int[]> ids, List<float[]> weights, int tokenCount)
    {
        ChunkLength = chunkLength;
        ChunkIds = ids;
        ChunkWeights = weights;
        TokenCount = tokenCount;
    }

    /// <summary>Positions per chunk (the tokenizer's maximum length, 77).</summary>
    public int ChunkLength { get; }

    /// <summary>Token ids per chunk.</summary>
    public IReadOnlyList<int[]> ChunkIds { get; }

    /// <summary>Per-position weights per chunk (1 at start, end and padding).</summary>
    public IReadOnlyList<float[]> ChunkWeights { get; }

    /// <summary>Prompt tokens, without start, end and padding.</summary>
    public int TokenCount { get; }

    /// <summary>Number of chunks.</summary>
    public int ChunkCount => ChunkIds.Count;

    /// <summary>Whether any position has a weight other than 1.</summary>
    public bool IsWeighted => ChunkWeights.Any(w => w.Any(x => x != 1f));
}
