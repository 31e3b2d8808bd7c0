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

    /// <summary>
    /// SDXL base layout at test size: text_encoder (CLIP-L-like, 32 wide) and text_encoder_2 (with projection, 64 wide,
    /// text_embeds 32) both exporting <c>hidden_states.N</c>, tokenizer and tokenizer_2, a UNet with <c>text_embeds</c> and
    /// <c>time_ids</c> [6] inputs (cross-attention width 96 = 32 + 64), the SDXL VAE settings (scaling 0.13025,
    /// force_upcast), EulerDiscreteScheduler; default 64x64 (sample size 8).
    /// </summary>
    SdxlTiny,

    /// <summary>
    /// SDXL base at its real sizes (CLIP ViT-L + OpenCLIP bigG encoders, UNet 320/640/1280 with transformer depth 0/2/10,
    /// 1024x1024 default): for benchmarks. About 3.5 billion parameters, generated on demand with external weights.
    /// </summary>
    Sdxl,

    /// <summary>The SDXL refiner layout at test size: text_encoder_2 and tokenizer_2 only, <c>time_ids</c> [5] with the aesthetic score.</summary>
    SdxlRefinerTiny,

    /// <summary>
    /// <see cref="SdxlTiny"/> as SDXL-Turbo ships: EulerAncestralDiscreteScheduler with <c>trailing</c> spacing and a
    /// <c>generation_config.json</c> of guidance 0 and 1 step.
    /// </summary>
    SdxlTurboTiny,

    /// <summary>
    /// An LCM-distilled SD 1.5 layout at test size: a UNet with the guidance-embedding input <c>timestep_cond</c> [batch, 32],
    /// LCMScheduler, and a <c>generation_config.json</c> of guidance 8.5 and 4 steps.
    /// </summary>
    LcmTiny,

    /// <summary>
    /// SD-Turbo's layout at test size: the SD 2.x-like tiny model with EulerAncestralDiscreteScheduler (<c>trailing</c>) and
    /// a <c>generation_config.json</c> of guidance 0 and 1 step.
    /// </summary>
    SdTurboTiny,
}
