namespace DiffusionFunctions.Diffusion.Tokenization;

/// <summary>Which BPE merge loop <see cref="ClipBpeModel.MergeWord"/> uses; both give the reference's result.</summary>
internal enum BpeMergeStrategy
{
    /// <summary>Repeated scans for short words, the priority queue for words over <see cref="ClipBpeModel.LongWordSymbols"/> bytes.</summary>
    Automatic,

    /// <summary>The reference's loop: scan for the lowest-ranked pair, join all its occurrences, repeat.</summary>
    Scan,

    /// <summary>The O(n log n) queue-based loop.</summary>
    PriorityQueue,
}
