using DiffusionFunctions.Diffusion.Imaging;
using DiffusionFunctions.Diffusion.Pipeline;
using SkiaSharp;

namespace DiffusionFunctions.Diffusion.Tests.Pipeline;

public sealed class TextToImageTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private static readonly GenerationSettings Settings = new()
    {
        Prompt = "a photo of a cat",
        NegativePrompt = "blurry",
        Steps = 3,
        Seed = 42,
        Width = 80,
        Height = 64,
        Scheduler = "euler",
    };

    [Fact]
    public async Task Returns_the_requested_count_and_size_as_pngs_carrying_their_parameters()
    {
        var result = await fixture.Pipeline.RunAsync(Settings with { Count = 2 });

        Assert.Equal(GenerationMode.TextToImage, result.Mode);
        Assert.Equal(2, result.Images.Count);
        Assert.Equal(0, result.WithheldCount);
        Assert.Equal(3, result.StepsRun);
        Assert.Equal([42L, 43L], result.Images.Select(i => i.Seed));
        foreach (var image in result.Images)
        {
            using var codec = SKCodec.Create(SKData.CreateCopy(image.Png));
            Assert.Equal(SKEncodedImageFormat.Png, codec.EncodedFormat);
            Assert.Equal((80, 64), (codec.Info.Width, codec.Info.Height));
            Assert.Equal((80, 64), (image.Image.Width, image.Image.Height));
            Assert.Equal(image.Image.Pixels, UserImageDecoder.Decode(image.Png).Pixels);
            var parameters = PngImageEncoder.ReadParameters(image.Png);
            Assert.Equal(image.Parameters, parameters);
            Assert.Equal(
                $"a photo of a cat\nNegative prompt: blurry\nSteps: 3, Sampler: Euler, Schedule type: Uniform, CFG scale: 7.5, Seed: {image.Seed}, Size: 80x64, Model: {fixture.Model.Name}",
                parameters!.ToText());
        }
    }

    [Fact]
    public async Task Same_seed_reproduces_identical_pixels_and_a_different_seed_does_not()
    {
        var first = await fixture.Pipeline.RunAsync(Settings);
        var again = await fixture.Pipeline.RunAsync(Settings);
        var other = await fixture.Pipeline.RunAsync(Settings with { Seed = 43 });

        Assert.Equal(first.Images[0].Image.Pixels, again.Images[0].Image.Pixels);
        Assert.Equal(first.Images[0].Png, again.Images[0].Png);
        Assert.NotEqual(first.Images[0].Image.Pixels, other.Images[0].Image.Pixels);
    }

    [Fact]
    public async Task Image_i_of_a_run_is_the_image_of_seed_plus_i_alone()
    {
        var batch = await fixture.Pipeline.RunAsync(Settings with { Count = 2 });
        var second = await fixture.Pipeline.RunAsync(Settings with { Seed = 43 });

        Assert.Equal(second.Images[0].Image.Pixels, batch.Images[1].Image.Pixels);
    }

    [Fact]
    public async Task Progress_is_reported_after_every_step_then_per_decoded_image()
    {
        var progress = new RecordingProgress();
        await fixture.Pipeline.RunAsync(Settings with { Steps = 4, Count = 2 }, progress);

        var steps = progress.Reports.Where(r => r.Stage == GenerationStage.Denoising).ToList();
        Assert.Equal([1, 2, 3, 4], steps.Select(r => r.Step));
        Assert.All(steps, r => Assert.Equal(4, r.TotalSteps));
        Assert.Equal([1, 2], progress.Reports.Where(r => r.Stage == GenerationStage.Decoding).Select(r => r.ImagesDecoded));
        Assert.Equal(6, progress.Reports.Count);
    }

    [Fact]
    public async Task Cancelling_from_the_progress_callback_stops_before_the_next_step()
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new RecordingProgress(report =>
        {
            if (report.Step == 2)
            {
                cancellation.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            fixture.Pipeline.RunAsync(Settings with { Steps = 6 }, progress, cancellation.Token));
        Assert.Equal([1, 2], progress.Reports.Select(r => r.Step));
        Assert.DoesNotContain(progress.Reports, r => r.Stage == GenerationStage.Decoding);
    }

    [Fact]
    public async Task At_guidance_one_the_negative_prompt_is_not_used()
    {
        var plain = await fixture.Pipeline.RunAsync(Settings with { GuidanceScale = 1, NegativePrompt = "" });
        var withNegative = await fixture.Pipeline.RunAsync(Settings with { GuidanceScale = 1, NegativePrompt = "a dog" });
        var guided = await fixture.Pipeline.RunAsync(Settings with { GuidanceScale = 7.5, NegativePrompt = "" });
        var guidedWithNegative = await fixture.Pipeline.RunAsync(Settings with { GuidanceScale = 7.5, NegativePrompt = "a dog" });

        Assert.Equal(plain.Images[0].Image.Pixels, withNegative.Images[0].Image.Pixels);
        Assert.NotEqual(guided.Images[0].Image.Pixels, guidedWithNegative.Images[0].Image.Pixels);
    }

    [Fact]
    public async Task IoBinding_on_cpu_gives_the_same_pixels_as_plain_runs()
    {
        var options = new global::DiffusionFunctions.Diffusion.Onnx.DiffusionEngineOptions { Provider = global::DiffusionFunctions.Diffusion.Onnx.ExecutionProviderKind.Cpu, IntraOpThreads = 1, UseIoBinding = true };
        using var model = global::DiffusionFunctions.Diffusion.Onnx.StableDiffusionModel.Load(fixture.Model.Directory, options);
        Assert.True(model.UsesIoBinding);
        Assert.False(fixture.Model.UsesIoBinding);

        var bound = await new StableDiffusionPipeline(model).RunAsync(Settings);
        var plain = await fixture.Pipeline.RunAsync(Settings);

        Assert.Equal(plain.Images[0].Image.Pixels, bound.Images[0].Image.Pixels);
    }

    public static TheoryData<string> SchedulerNames() => new(global::DiffusionFunctions.Diffusion.Schedulers.SchedulerFactory.Names);

    [Theory]
    [MemberData(nameof(SchedulerNames))]
    public async Task Every_scheduler_runs_deterministically(string scheduler)
    {
        var settings = Settings with { Scheduler = scheduler.ToUpperInvariant(), Steps = 3 };
        var first = await fixture.Pipeline.RunAsync(settings);
        var second = await fixture.Pipeline.RunAsync(settings);

        Assert.Equal(scheduler, first.SchedulerName);
        Assert.True(first.StepsRun >= 3, $"{scheduler} ran {first.StepsRun} steps");
        Assert.Equal(first.Images[0].Image.Pixels, second.Images[0].Image.Pixels);
    }

    [Fact]
    public async Task The_model_folders_own_scheduler_is_the_default()
    {
        var result = await fixture.Pipeline.RunAsync(Settings with { Scheduler = null, Steps = 2 });
        Assert.Equal("pndm", result.SchedulerName);
        Assert.Equal("PLMS", result.Images[0].Parameters.Sampler);
    }

    [Fact]
    public async Task Long_prompts_are_chunked_and_still_generate()
    {
        var longPrompt = string.Join(", ", Enumerable.Repeat("a red house on a hill", 20));
        var result = await fixture.Pipeline.RunAsync(Settings with { Prompt = longPrompt, Steps = 2 });

        Assert.True(result.PromptTokenCount > 75, $"expected a chunked prompt, got {result.PromptTokenCount} tokens");
        Assert.Single(result.Images);
    }

    [Theory]
    [InlineData(65, 64, "GenerationSettings.Width must be a multiple of 8 from 64 to 2048, not 65.")]
    [InlineData(64, 4096, "GenerationSettings.Height must be a multiple of 8 from 64 to 2048, not 4096.")]
    public async Task Bad_sizes_are_refused_before_any_work(int width, int height, string message)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Pipeline.RunAsync(Settings with { Width = width, Height = height }));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_bad_settings_are_refused_with_their_name()
    {
        async Task<string> ErrorOf(GenerationSettings settings) =>
            (await Assert.ThrowsAsync<ArgumentException>(() => fixture.Pipeline.RunAsync(settings))).Message;

        Assert.StartsWith("GenerationSettings.Steps must be 1-500, not 0.", await ErrorOf(Settings with { Steps = 0 }), StringComparison.Ordinal);
        Assert.StartsWith("GenerationSettings.Count must be 1-16, not 17.", await ErrorOf(Settings with { Count = 17 }), StringComparison.Ordinal);
        Assert.StartsWith("GenerationSettings.Scheduler 'warp' is unknown; valid names: ", await ErrorOf(Settings with { Scheduler = "warp" }), StringComparison.Ordinal);
        Assert.StartsWith("GenerationSettings.Mask needs an InitImage to inpaint.",
            await ErrorOf(Settings with { Mask = new RgbImage(8, 8, new byte[192]) }), StringComparison.Ordinal);
        Assert.StartsWith("GenerationSettings.Strength must be greater than 0 and at most 1, not 0.",
            await ErrorOf(Settings with { InitImage = new RgbImage(8, 8, new byte[192]), Strength = 0 }), StringComparison.Ordinal);
    }
}
