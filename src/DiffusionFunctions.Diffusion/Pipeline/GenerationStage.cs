namespace DiffusionFunctions.Diffusion.Pipeline;

/// <summary>The pipeline stage a progress report comes from.</summary>
public enum GenerationStage
{
    /// <summary>A denoising step finished.</summary>
    Denoising,

    /// <summary>An image was decoded by the VAE.</summary>
    Decoding,
}
