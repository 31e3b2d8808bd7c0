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

    [Fact]
    public void Sd15_with_the_sd2_variant_has_stable_diffusion_2_parameter_counts()
    {
        var counts = StableDiffusionModelGenerator.CountParameters(ModelPreset.Sd15, new ModelVariant { Sd2 = true });

        // Reference: stabilityai/stable-diffusion-2-1 UNet 865,910,724 (1024-wide cross-attention, linear projections);
        // its CLIPTextModel (OpenCLIP ViT-H/14 text, 23 layers, 1024 wide) 340,387,840.
        Assert.Equal(865_910_724, counts["unet"]);
        Assert.Equal(340_387_840, counts["text_encoder"]);
    }

    [Fact]
    public void Inpainting_unet_adds_only_the_five_extra_input_channels_of_conv_in()
    {
        var plain = StableDiffusionModelGenerator.CountParameters(ModelPreset.Sd15, ModelVariant.Default)["unet"];
        var inpainting = StableDiffusionModelGenerator.CountParameters(ModelPreset.Sd15, new ModelVariant { InpaintingUnet = true })["unet"];

        // runwayml/stable-diffusion-inpainting: conv_in [320, 9, 3, 3] instead of [320, 4, 3, 3].
        Assert.Equal(5 * 320 * 3 * 3, inpainting - plain);
    }
}

/// <summary>The seeded provider's draws: deterministic per (seed, component, name), with the requested moments.</summary>
public sealed class SeededRandomWeightProviderTests
{
    [Fact]
    public void Values_depend_on_seed_component_and_name_only_and_have_the_requested_moments()
    {
        var spec = new DiffusionFunctions.ModelGeneration.Weights.ParameterSpec("unet", "conv_in.weight", [100_000], new(0.25f, 0.5f));
        var provider = new DiffusionFunctions.ModelGeneration.Weights.SeededRandomWeightProvider(11);

        var values = provider.GetWeights(spec);

        Assert.Equal(values, new DiffusionFunctions.ModelGeneration.Weights.SeededRandomWeightProvider(11).GetWeights(spec));
        Assert.NotEqual(values, new DiffusionFunctions.ModelGeneration.Weights.SeededRandomWeightProvider(12).GetWeights(spec));
        Assert.NotEqual(values, provider.GetWeights(spec with { Component = "vae_decoder" }));
        Assert.NotEqual(values, provider.GetWeights(spec with { Name = "conv_out.weight" }));
        var mean = values.Average();
        var std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, 0.24, 0.26);
        Assert.InRange(std, 0.49, 0.51);
        Assert.All(values, v => Assert.InRange(v, 0.25f - (0.5f * MathF.Sqrt(3f)) - 1e-6f, 0.25f + (0.5f * MathF.Sqrt(3f)) + 1e-6f));
    }
}
