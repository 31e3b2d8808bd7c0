namespace DiffusionFunctions.ModelGeneration.Architectures;

/// <summary>The activation inside the CLIP text MLP.</summary>
public enum TextActivation
{
    /// <summary><c>x * sigmoid(1.702 x)</c> (OpenAI CLIP ViT-L/14, SD 1.x).</summary>
    QuickGelu,

    /// <summary>Exact GELU (OpenCLIP ViT-H/14, SD 2.x).</summary>
    Gelu,
}

/// <summary>Shape of a CLIP text transformer (transformers' <c>CLIPTextConfig</c>).</summary>
/// <param name="VocabSize">Token embedding rows (49408 for the CLIP BPE vocabulary).</param>
/// <param name="MaxPositions">Position embedding rows (77).</param>
/// <param name="Hidden">Width of the text states (768 for SD 1.x, 1024 for SD 2.x).</param>
/// <param name="Layers">Transformer layers.</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="Intermediate">MLP width.</param>
/// <param name="Activation">MLP activation.</param>
/// <param name="InputIdsInt64">Whether <c>input_ids</c> is int64 (some exports) rather than int32 (Optimum).</param>
public sealed record ClipTextEncoderConfig(
    int VocabSize,
    int MaxPositions,
    int Hidden,
    int Layers,
    int Heads,
    int Intermediate,
    TextActivation Activation,
    bool InputIdsInt64)
{
    /// <summary>LayerNorm epsilon.</summary>
    public float LayerNormEpsilon { get; init; } = 1e-5f;

    /// <summary>
    /// The width of <c>text_projection</c> (transformers' <c>CLIPTextModelWithProjection</c>, SDXL's text_encoder_2), which
    /// outputs <c>text_embeds</c> in place of <c>pooler_output</c>; null for a plain <c>CLIPTextModel</c>.
    /// </summary>
    public int? ProjectionDim { get; init; }

    /// <summary>Output every layer's states as <c>hidden_states.0</c> … <c>hidden_states.{Layers}</c> (Optimum's SDXL export).</summary>
    public bool OutputHiddenStates { get; init; }
}
