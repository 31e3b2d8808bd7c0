using DiffusionFunctions.Diffusion.Imaging;
using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Pipeline;
using DiffusionFunctions.Diffusion.Tests.Imaging;
using DiffusionFunctions.Diffusion.Tests.Onnx;
using DiffusionFunctions.ModelGeneration;

namespace DiffusionFunctions.Diffusion.Tests.Pipeline;

public sealed class ImageToImageTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private static readonly RgbImage InitImage = TestImages.Gradient(48, 40);

    private static readonly GenerationSettings Settings = new()
    {
        Prompt = "a house",
        Steps = 4,
        Seed = 7,
        Width = 64,
        Height = 64,
        Scheduler = "euler",
        InitImage = InitImage,
        Strength = 0.5,
    };

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

    [Fact]
    public async Task Img2img_runs_steps_times_strength_from_the_resized_init_image()
    {
        var progress = new RecordingProgress();
        var result = await fixture.Pipeline.RunAsync(Settings, progress);

        Assert.Equal(GenerationMode.ImageToImage, result.Mode);
        Assert.Equal(2, result.StepsRun);
        Assert.Equal(2, progress.Reports.Count(r => r.Stage == GenerationStage.Denoising));
        var image = Assert.Single(result.Images);
        Assert.Equal((64, 64), (image.Image.Width, image.Image.Height));
        Assert.Equal(0.5, PngImageEncoder.ReadParameters(image.Png)!.DenoisingStrength);

        var again = await fixture.Pipeline.RunAsync(Settings);
        Assert.Equal(image.Image.Pixels, again.Images[0].Image.Pixels);
        var stronger = await fixture.Pipeline.RunAsync(Settings with { Strength = 1.0 });
        Assert.Equal(4, stronger.StepsRun);
        Assert.NotEqual(image.Image.Pixels, stronger.Images[0].Image.Pixels);
    }

    [Fact]
    public async Task Inpainting_with_a_standard_unet_blends_in_latent_space()
    {
        var result = await fixture.Pipeline.RunAsync(Settings with { Mask = RightHalfMask(), Strength = 0.75 });

        Assert.Equal(GenerationMode.Inpainting, result.Mode);
        Assert.Equal(3, result.StepsRun);
        Assert.Single(result.Images);
        var img2img = await fixture.Pipeline.RunAsync(Settings with { Strength = 0.75 });
        Assert.NotEqual(img2img.Images[0].Image.Pixels, result.Images[0].Image.Pixels);
    }

    [Fact]
    public async Task Inpainting_with_a_nine_channel_unet_feeds_mask_and_masked_image_latents()
    {
        using var model = StableDiffusionModel.Load(await ModelFolders.TinyAsync(new ModelVariant { InpaintingUnet = true }), TinyModelFixture.CpuOptions);
        var pipeline = new StableDiffusionPipeline(model);

        var full = await pipeline.RunAsync(Settings with { Mask = RightHalfMask(), Strength = 1.0, Steps = 2 });
        var partial = await pipeline.RunAsync(Settings with { Mask = RightHalfMask(), Strength = 0.5, Steps = 4 });

        Assert.Equal((GenerationMode.Inpainting, 2), (full.Mode, full.StepsRun));
        Assert.Equal(2, partial.StepsRun);
        Assert.Single(full.Images);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => pipeline.RunAsync(Settings with { InitImage = null }));
        Assert.StartsWith($"The model '{model.Name}' has an inpainting UNet (9 input channels); it needs an InitImage and a Mask.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Img2img_needs_a_vae_encoder()
    {
        using var model = StableDiffusionModel.Load(await ModelFolders.TinyAsync(new ModelVariant { IncludeVaeEncoder = false }), TinyModelFixture.CpuOptions);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => new StableDiffusionPipeline(model).RunAsync(Settings));
        Assert.StartsWith($"The model '{model.Name}' has no vae_encoder; image-to-image and inpainting need one.", error.Message, StringComparison.Ordinal);
    }
}
