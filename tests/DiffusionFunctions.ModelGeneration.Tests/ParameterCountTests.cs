using DiffusionFunctions.ModelGeneration;

namespace DiffusionFunctions.ModelGeneration.Tests;

/// <summary>The sd15 preset's sizes, computed from the builders' weight shapes without materialising anything.</summary>
public sealed class ParameterCountTests
{
    [Fact]
    public void Sd15_components_have_stable_diffusion_1_5_parameter_counts()
    {
        var counts = StableDiffusionModelGenerator.CountParameters(ModelPreset.Sd15, ModelVariant.Default);

        // Reference: diffusers UNet2DConditionModel of runwayml/stable-diffusion-v1-5 has 859,520,964 parameters;
        // transformers CLIPTextModel (openai/clip-vit-large-patch14) 123,060,480; AutoencoderKL 83,653,863 in all.
        Assert.Equal(859_520_964, counts["unet"]);
        Assert.Equal(123_060_480, counts["text_encoder"]);
        Assert.Equal(83_653_863, counts["vae_decoder"] + counts["vae_encoder"]);
    }
}
