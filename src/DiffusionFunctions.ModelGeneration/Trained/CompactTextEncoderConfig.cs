namespace DiffusionFunctions.ModelGeneration.Trained;

/// <summary>
/// A CLIP-style text transformer whose token table holds only the rows a small model needs: <c>input_ids</c> stay the
/// real CLIP BPE ids (0-49407), and a constant id-to-row table inside the graph maps each id to its row, with one shared
/// row for every id the model was not trained on.
/// </summary>
/// <param name="IdToRow">49408 entries: the token-table row of each CLIP id.</param>
/// <param name="Rows">Rows of the compact token table (the largest entry of <paramref name="IdToRow"/> + 1).</param>
/// <param name="Hidden">Width of the text states.</param>
/// <param name="Layers">Transformer layers.</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="Intermediate">MLP width.</param>
/// <param name="MaxPositions">Position rows (77).</param>
public sealed record CompactTextEncoderConfig(IReadOnlyList<long> IdToRow, int Rows, int Hidden, int Layers, int Heads, int Intermediate, int MaxPositions = 77)
{
    /// <summary>The CLIP vocabulary size the id table covers.</summary>
    public const int ClipVocabularySize = 49408;

    /// <summary>LayerNorm epsilon.</summary>
    public float LayerNormEpsilon { get; init; } = 1e-5f;
}
