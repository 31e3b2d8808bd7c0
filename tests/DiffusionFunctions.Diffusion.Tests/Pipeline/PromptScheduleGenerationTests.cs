using DiffusionFunctions.Diffusion.Imaging;
using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Pipeline;
using DiffusionFunctions.Diffusion.Tests.Imaging;

namespace DiffusionFunctions.Diffusion.Tests.Pipeline;

/// <summary>
/// Prompt editing and alternation through the real pipeline on the tiny model: the scheduled texts are encoded once each and
/// switched between steps, for the prompt and the negative prompt, in txt2img, img2img and inpainting. A schedule that never
/// switches must give exactly the pixels of its one text; one that switches must differ from each text alone.
/// </summary>
public sealed class PromptScheduleGenerationTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private const string Cat = "a photo of a cat", Dog = "a red dog in the snow";

    public static TheoryData<string> Modes() => new() { "txt2img", "img2img", "inpaint" };

    private static GenerationSettings Settings(string mode) => new GenerationSettings
    {
        Prompt = Cat,
        NegativePrompt = "blurry",
        Steps = 4,
        Seed = 11,
        Width = 64,
        Height = 64,
        Scheduler = "euler",
    } with
    {
        InitImage = mode == "txt2img" ? null : TestImages.Gradient(64, 64),
        Mask = mode == "inpaint" ? LeftHalfMask() : null,
        Strength = 1.0,
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Prompt_editing_switches_the_prompt_between_steps(string mode)
    {
        var settings = Settings(mode);
        var cat = await fixture.Pipeline.RunAsync(settings);
        var dog = await fixture.Pipeline.RunAsync(settings with { Prompt = Dog });
        var neverSwitches = await fixture.Pipeline.RunAsync(settings with { Prompt = $"[{Cat}:{Dog}:4]" });
        var switchesAtOnce = await fixture.Pipeline.RunAsync(settings with { Prompt = $"[{Cat}:{Dog}:0]" });
        var switchesHalfWay = await fixture.Pipeline.RunAsync(settings with { Prompt = $"[{Cat}:{Dog}:0.5]" });

        Assert.Equal(cat.Images[0].Image.Pixels, neverSwitches.Images[0].Image.Pixels);
        Assert.Equal(dog.Images[0].Image.Pixels, switchesAtOnce.Images[0].Image.Pixels);
        Assert.NotEqual(cat.Images[0].Image.Pixels, switchesHalfWay.Images[0].Image.Pixels);
        Assert.NotEqual(dog.Images[0].Image.Pixels, switchesHalfWay.Images[0].Image.Pixels);
        Assert.Equal(3, switchesHalfWay.EncodedPromptTexts);   // cat, dog, the negative prompt: once each
        Assert.Equal($"[{Cat}:{Dog}:0.5]", switchesHalfWay.Images[0].Parameters.Prompt);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task The_negative_prompt_is_scheduled_too(string mode)
    {
        var settings = Settings(mode);
        var blurry = await fixture.Pipeline.RunAsync(settings);
        var neverSwitches = await fixture.Pipeline.RunAsync(settings with { NegativePrompt = "[blurry:ugly, grey:1.0]" });
        var alternates = await fixture.Pipeline.RunAsync(settings with { NegativePrompt = "[blurry|ugly, grey]" });

        Assert.Equal(blurry.Images[0].Image.Pixels, neverSwitches.Images[0].Image.Pixels);
        Assert.NotEqual(blurry.Images[0].Image.Pixels, alternates.Images[0].Image.Pixels);
        Assert.Equal(3, alternates.EncodedPromptTexts);   // the prompt, "blurry", "ugly, grey"
    }

    [Fact]
    public async Task Alternation_of_one_text_is_that_text_and_of_two_differs_from_both()
    {
        var settings = Settings("txt2img");
        var cat = await fixture.Pipeline.RunAsync(settings);
        var dog = await fixture.Pipeline.RunAsync(settings with { Prompt = Dog });
        var same = await fixture.Pipeline.RunAsync(settings with { Prompt = $"[{Cat}|{Cat}]" });
        var alternating = await fixture.Pipeline.RunAsync(settings with { Prompt = $"[{Cat}|{Dog}]" });

        Assert.Equal(cat.Images[0].Image.Pixels, same.Images[0].Image.Pixels);
        Assert.Equal(2, same.EncodedPromptTexts);
        Assert.NotEqual(cat.Images[0].Image.Pixels, alternating.Images[0].Image.Pixels);
        Assert.NotEqual(dog.Images[0].Image.Pixels, alternating.Images[0].Image.Pixels);
    }

    [Fact]
    public async Task Switching_texts_through_io_binding_gives_the_pixels_of_plain_runs()
    {
        var options = new DiffusionEngineOptions { Provider = ExecutionProviderKind.Cpu, IntraOpThreads = 1, UseIoBinding = true };
        using var model = StableDiffusionModel.Load(fixture.Model.Directory, options);
        var settings = Settings("txt2img") with { Prompt = $"[{Cat}|{Dog}]", NegativePrompt = "[blurry::0.5]" };

        var bound = await new StableDiffusionPipeline(model).RunAsync(settings);
        var plain = await fixture.Pipeline.RunAsync(settings);

        Assert.Equal(plain.Images[0].Image.Pixels, bound.Images[0].Image.Pixels);
    }

    [Fact]
    public async Task And_composition_is_refused_naming_the_feature()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Pipeline.RunAsync(Settings("txt2img") with { Prompt = "a cat AND a dog" }));

        Assert.Contains("AND (composable diffusion", ex.Message, StringComparison.Ordinal);
        Assert.Single(await RunImages(Settings("txt2img") with { NegativePrompt = "a cat AND a dog" }));
    }

    [Fact]
    public async Task Unsupported_syntax_is_reported_as_warnings_and_a_clean_prompt_has_none()
    {
        var warned = await fixture.Pipeline.RunAsync(Settings("txt2img") with { Prompt = "a cat <lora:grain:0.8>", NegativePrompt = "16:9 [blurry:ugly:2]" });
        var clean = await fixture.Pipeline.RunAsync(Settings("txt2img") with { Prompt = "a [cat|dog]" });

        Assert.Equal(2, warned.Warnings.Count);
        Assert.Contains("<lora:grain:0.8>", warned.Warnings[0], StringComparison.Ordinal);
        Assert.Contains("negative prompt", warned.Warnings[1], StringComparison.Ordinal);
        Assert.Empty(clean.Warnings);
    }

    private async Task<IReadOnlyList<GeneratedImage>> RunImages(GenerationSettings settings) => (await fixture.Pipeline.RunAsync(settings)).Images;

    private static RgbImage LeftHalfMask()
    {
        var pixels = new byte[64 * 64 * 3];
        for (var y = 0; y < 64; y++)
        {
            pixels.AsSpan(y * 64 * 3, 32 * 3).Fill(255);
        }

        return new RgbImage(64, 64, pixels);
    }
}
