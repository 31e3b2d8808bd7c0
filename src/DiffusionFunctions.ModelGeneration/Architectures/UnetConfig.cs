namespace DiffusionFunctions.ModelGeneration.Architectures;

/// <summary>
/// Shape of a conditional UNet (diffusers <c>UNet2DConditionModel</c>): one entry per resolution level in
/// <see cref="BlockChannels"/>, <see cref="BlockHasCrossAttention"/> and <see cref="BlockHeads"/>, high resolution first.
/// A level with cross-attention is a <c>CrossAttnDownBlock2D</c>/<c>CrossAttnUpBlock2D</c>, otherwise a plain
/// <c>DownBlock2D</c>/<c>UpBlock2D</c>; the mid block always has one transformer.
/// </summary>
public sealed record UnetConfig(
    int InChannels,
    int OutChannels,
    IReadOnlyList<int> BlockChannels,
    IReadOnlyList<bool> BlockHasCrossAttention,
    IReadOnlyList<int> BlockHeads,
    int LayersPerBlock,
    int CrossAttentionDim,
    int NormGroups,
    bool UseLinearProjection,
    int SampleSize,
    TimestepForm Timestep)
{
    /// <summary>GroupNorm epsilon of the ResNet blocks and the output norm.</summary>
    public float NormEpsilon { get; init; } = 1e-5f;

    /// <summary>
    /// SDXL's added conditioning (diffusers <c>addition_embed_type = "text_time"</c>): the sinusoidal width per time id
    /// (<c>addition_time_embed_dim</c>, 256 in SDXL); null for none. With it the UNet takes <c>text_embeds</c> and <c>time_ids</c>.
    /// </summary>
    public int? AdditionTimeEmbedDim { get; init; }

    /// <summary>Width of <c>text_embeds</c> (text_encoder_2's projection, 1280 in SDXL).</summary>
    public int TextEmbedsDim { get; init; }

    /// <summary>Values per <c>time_ids</c> row: 6 (base) or 5 (refiner, aesthetic score).</summary>
    public int TimeIdsCount { get; init; } = 6;

    /// <summary>LCM's <c>time_cond_proj_dim</c>: the UNet takes <c>timestep_cond</c> [batch, dim]; null for none.</summary>
    public int? TimeCondProjDim { get; init; }

    /// <summary>Transformer blocks per attention at each level (SDXL: 0, 2, 10), the mid block using the last; null for 1 everywhere.</summary>
    public IReadOnlyList<int>? TransformerDepth { get; init; }

    /// <summary>Width of the time embedding (4x the first level's channels).</summary>
    public int TimeEmbeddingDim => BlockChannels[0] * 4;
}
