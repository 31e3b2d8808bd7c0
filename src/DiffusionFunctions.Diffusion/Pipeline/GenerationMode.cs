namespace DiffusionFunctions.Diffusion.Pipeline;

/// <summary>What a run starts from.</summary>
public enum GenerationMode
{
    /// <summary>Noise only.</summary>
    TextToImage,

    /// <summary>An init image, noised to the strength.</summary>
    ImageToImage,

    /// <summary>An init image and a mask: a 9-channel inpainting UNet, or latent mask blending with a standard UNet.</summary>
    Inpainting,
}
