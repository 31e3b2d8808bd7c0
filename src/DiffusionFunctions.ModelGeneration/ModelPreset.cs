namespace DiffusionFunctions.ModelGeneration;

/// <summary>The architecture sizes the generator can write.</summary>
public enum ModelPreset
{
    /// <summary>
    /// Test-sized: text width 32 in 2 layers, UNet levels 16/32/64 with one ResNet each (cross-attention on the last
    /// level and in the mid block), a 4-level VAE of 8/8/16/16 channels; default 64x64 images (sample size 8). Any
    /// image size that is a multiple of 8 works. Milliseconds per step on CPU.
    /// </summary>
    Tiny,

    /// <summary>
    /// Stable Diffusion 1.5 sizes: CLIP ViT-L/14 text encoder (768 wide, 12 layers), UNet 320/640/1280/1280 with 2
    /// ResNets per level and 8-head transformers (859,520,964 parameters), the SD VAE. About 4 GB fp32, generated on demand.
    /// </summary>
    Sd15,
}
