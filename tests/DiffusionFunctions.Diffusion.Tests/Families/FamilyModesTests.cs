using DiffusionFunctions.Diffusion.Imaging;
using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Pipeline;
using DiffusionFunctions.Diffusion.Tests.Imaging;
using DiffusionFunctions.ModelGeneration;

namespace DiffusionFunctions.Diffusion.Tests.Families;

/// <summary>Every generated family preset loads, is detected as its family, and runs txt2img, img2img and inpainting.</summary>
public sealed class FamilyModesTests(FamilyModels models) : IClassFixture<FamilyModels>
{
    public static TheoryData<ModelPreset, string> Families => new()
    {
        { ModelPreset.SdxlTiny, "sdxl" },
        { ModelPreset.SdxlRefinerTiny, "sdxl-refiner" },
        { ModelPreset.SdxlTurboTiny, "sdxl" },
        { ModelPreset.LcmTiny, "sd" },
        { ModelPreset.SdTurboTiny, "sd" },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public async Task Every_mode_runs_on_the_preset(ModelPreset preset, string family)
    {
        var model = models[preset];
        Assert.Equal(family, model.Family.Name);
        var pipeline = new StableDiffusionPipeline(model);
        var settings = new GenerationSettings { Prompt = "a red circle", Seed = 3, Steps = model.DefaultSteps, Width = 80, Height = 64 };

        var text = await pipeline.RunAsync(settings);
        var image = await pipeline.RunAsync(settings with { Steps = Math.Max(2, model.DefaultSteps), InitImage = TestImages.Gradient(40, 40), Strength = 0.5 });
        var inpaint = await pipeline.RunAsync(settings with { Steps = Math.Max(2, model.DefaultSteps), InitImage = TestImages.Gradient(40, 40), Mask = RightHalfMask(), Strength = 1.0 });

        Assert.Equal(family, text.Family);
        Assert.Equal(GenerationMode.TextToImage, text.Mode);
        Assert.Equal(GenerationMode.ImageToImage, image.Mode);
        Assert.Equal(GenerationMode.Inpainting, inpaint.Mode);
        foreach (var result in new[] { text, image, inpaint })
        {
            var generated = Assert.Single(result.Images);
            Assert.Equal((80, 64), (generated.Image.Width, generated.Image.Height));
            Assert.True(generated.Image.Pixels.Distinct().Count() > 8, "the image is not flat");
        }

        // Same settings, same pixels.
        Assert.Equal(text.Images[0].Image.Pixels, (await pipeline.RunAsync(settings)).Images[0].Image.Pixels);

        // Inpainting with a 4-channel UNet keeps the unmasked (left) half at the init image's latents.
        Assert.NotEqual(text.Images[0].Image.Pixels, inpaint.Images[0].Image.Pixels);
    }

    [Fact]
    public void Model_defaults_come_from_the_folder()
    {
        Assert.Equal((0.0, 1), (models[ModelPreset.SdxlTurboTiny].DefaultGuidanceScale, models[ModelPreset.SdxlTurboTiny].DefaultSteps));
        Assert.Equal("euler-ancestral", models[ModelPreset.SdxlTurboTiny].DefaultSchedulerName);
        Assert.Equal((8.5, 4), (models[ModelPreset.LcmTiny].DefaultGuidanceScale, models[ModelPreset.LcmTiny].DefaultSteps));
        Assert.Equal("lcm", models[ModelPreset.LcmTiny].DefaultSchedulerName);
        Assert.Equal((7.5, GenerationSettings.DefaultSteps), (models[ModelPreset.SdxlTiny].DefaultGuidanceScale, models[ModelPreset.SdxlTiny].DefaultSteps));
        Assert.Equal("euler", models[ModelPreset.SdxlTiny].DefaultSchedulerName);

        // The SDXL VAE's settings come from its config, not SD's defaults.
        Assert.Equal(0.13025f, models[ModelPreset.SdxlTiny].VaeScalingFactor);
        Assert.True(models[ModelPreset.SdxlTiny].VaeForceUpcast);
        Assert.False(models[ModelPreset.LcmTiny].VaeForceUpcast);

        // Default size: unet sample_size x VAE factor (8 x 8 for the tiny presets; SDXL's 128 gives 1024).
        Assert.Equal((64, 64), (models[ModelPreset.SdxlTiny].DefaultWidth, models[ModelPreset.SdxlTiny].DefaultHeight));
    }

    /// <summary>White (repaint) on the right half, black (keep) on the left.</summary>
    private static RgbImage RightHalfMask()
    {
        var pixels = new byte[32 * 32 * 3];
        for (var y = 0; y < 32; y++)
        {
            for (var x = 16; x < 32; x++)
            {
                pixels.AsSpan(((y * 32) + x) * 3, 3).Fill(255);
            }
        }

        return new RgbImage(32, 32, pixels);
    }
}
