namespace DiffusionFunctions.ModelGeneration.Architectures;

/// <summary>
/// Shape of the Stable Diffusion autoencoder (diffusers <c>AutoencoderKL</c>): <see cref="BlockChannels"/> high resolution
/// first (SD: 128, 256, 512, 512); the spatial factor is 2^(levels-1) (8 for four levels).
/// </summary>
/// <param name="BlockChannels">Channels per level.</param>
/// <param name="LayersPerBlock">ResNets per encoder level (the decoder has one more, as in diffusers).</param>
/// <param name="LatentChannels">Latent channels (4).</param>
/// <param name="NormGroups">GroupNorm groups.</param>
/// <param name="MidAttention">Whether the mid blocks have their single-head spatial self-attention.</param>
/// <param name="OutputTanh">Squash decoder output into (-1, 1) with Tanh; random weights need it, trained ones do not.</param>
/// <param name="SampleSize">The image size in pixels the model is configured for.</param>
public sealed record VaeConfig(
    IReadOnlyList<int> BlockChannels,
    int LayersPerBlock,
    int LatentChannels,
    int NormGroups,
    bool MidAttention,
    bool OutputTanh,
    int SampleSize)
{
    /// <summary>GroupNorm epsilon.</summary>
    public float NormEpsilon { get; init; } = 1e-6f;

    /// <summary>The latent scaling factor written to the configs (SD 1.x/2.x: 0.18215).</summary>
    public float ScalingFactor { get; init; } = 0.18215f;

    /// <summary>The <c>force_upcast</c> key of the config (SDXL's VAE: true, it overflows in float16); null leaves it out.</summary>
    public bool? ForceUpcast { get; init; }

    /// <summary>Pixels per latent along each axis.</summary>
    public int SpatialFactor => 1 << (BlockChannels.Count - 1);
}
