namespace DiffusionFunctions.Diffusion.Tokenization;

/// <summary>What <see cref="ClipTokenizer.EncodeInto(string, Span{int}, Span{int})"/> wrote.</summary>
/// <param name="TokenCount">Real tokens written, the start and end token included.</param>
/// <param name="TruncatedTokenCount">BPE tokens of the prompt that did not fit and were dropped.</param>
public readonly record struct ClipTokenCounts(int TokenCount, int TruncatedTokenCount);
