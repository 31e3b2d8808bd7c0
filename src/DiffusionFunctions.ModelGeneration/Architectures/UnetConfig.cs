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

    /// <summary>Width of the time embedding (4x the first level's channels).</summary>
    public int TimeEmbeddingDim => BlockChannels[0] * 4;
}
