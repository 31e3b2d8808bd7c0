namespace DiffusionFunctions.Diffusion.Tokenization;

/// <summary>
/// One prompt encoded for a CLIP text encoder: exactly <see cref="ClipTokenizer.MaxLength"/> ids
/// (start token, BPE tokens, end token, padding) and the matching attention mask.
/// </summary>
public sealed class ClipTokenization
{
    internal ClipTokenization(int[] ids, int[] attentionMask, int tokenCount, int truncatedTokenCount)
    {
        Ids = ids;
        AttentionMask = attentionMask;
        TokenCount = tokenCount;
        TruncatedTokenCount = truncatedTokenCount;
    }

    /// <summary>The input ids, <see cref="ClipTokenizer.MaxLength"/> long. Owned by the caller (a fresh array per call).</summary>
#pragma warning disable CA1819 // The pipeline wraps these arrays in tensors without copying.
    public int[] Ids { get; }

    /// <summary>1 for the <see cref="TokenCount"/> real positions, 0 for padding; same length as <see cref="Ids"/>.</summary>
    public int[] AttentionMask { get; }
#pragma warning restore CA1819

    /// <summary>Real tokens in <see cref="Ids"/>, the start and end token included.</summary>
    public int TokenCount { get; }

    /// <summary>BPE tokens of the prompt that did not fit and were dropped (0 when nothing was cut).</summary>
    public int TruncatedTokenCount { get; }

    /// <summary>Whether part of the prompt was dropped.</summary>
    public bool IsTruncated => TruncatedTokenCount > 0;
}
