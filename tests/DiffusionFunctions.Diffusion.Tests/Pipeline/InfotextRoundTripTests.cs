using System.Globalization;
using DiffusionFunctions.Diffusion.Imaging;
using DiffusionFunctions.Diffusion.Pipeline;
using DiffusionFunctions.Diffusion.Tests.Imaging;

namespace DiffusionFunctions.Diffusion.Tests.Pipeline;

/// <summary>Every PNG the pipeline writes reads back, field by field, with a reader written from the infotext format.</summary>
public sealed class InfotextRoundTripTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    // Sampler and schedule names the web UI (1.9 and later) knows.
    private static readonly string[] WebUiSamplers =
    [
        "Euler a", "Euler", "LMS", "Heun", "DPM2", "DPM2 a", "DPM++ 2S a", "DPM++ 2M", "DPM++ SDE", "DPM++ 2M SDE", "DPM++ 3M SDE",
        "DPM fast", "DPM adaptive", "Restart", "DDIM", "PLMS", "UniPC", "LCM",
    ];

    private static readonly string[] WebUiScheduleTypes = ["Automatic", "Uniform", "Karras", "Exponential", "Polyexponential", "SGM Uniform"];

    public static TheoryData<string, string, string?> Samplers() => new()
    {
        { "pndm", "PLMS", null },
        { "ddim", "DDIM", null },
        { "euler", "Euler", "Uniform" },
        { "euler-ancestral", "Euler a", "Uniform" },
        { "lms", "LMS", "Uniform" },
        { "dpm++-2m", "DPM++ 2M", "Uniform" },
        { "dpm++-2m-karras", "DPM++ 2M", "Karras" },
        { "lcm", "LCM", null },
        { "ddpm", "DDIM", null },
    };

    [Theory]
    [MemberData(nameof(Samplers))]
    public async Task Every_field_reads_back_as_written(string scheduler, string sampler, string? scheduleType)
    {
        var settings = new GenerationSettings
        {
            Prompt = "ein Fuchs im Schnee, (Aquarell:1.2)\n雪の中の狐 — лиса",
            NegativePrompt = "blurry, low quality\nзернистый",
            Steps = 4,
            Seed = 1234,
            Width = 72,
            Height = 64,
            Scheduler = scheduler,
            GuidanceScale = 6.5,
            InitImage = TestImages.Gradient(72, 64),
            Strength = 0.55,
            ModelName = "tiny, v2: \"test\"\nbuild",
        };

        var image = (await fixture.Pipeline.RunAsync(settings)).Images[0];
        var (prompt, negative, fields) = InfotextReader.Read(PngTextChunks.Read(image.Png, "parameters")!);

        Assert.Equal(settings.Prompt, prompt);
        Assert.Equal(settings.NegativePrompt, negative);
        Assert.Equal("4", fields["Steps"]);
        Assert.Equal(sampler, fields["Sampler"]);
        Assert.Contains(fields["Sampler"], WebUiSamplers);
        Assert.Equal(scheduleType, fields.GetValueOrDefault("Schedule type"));
        Assert.True(scheduleType is null || WebUiScheduleTypes.Contains(scheduleType));
        Assert.Equal("6.5", fields["CFG scale"]);
        Assert.Equal("1234", fields["Seed"]);
        Assert.Equal("72x64", fields["Size"]);
        Assert.Equal(settings.ModelName, fields["Model"]);
        Assert.Equal(0.55, double.Parse(fields["Denoising strength"], CultureInfo.InvariantCulture));
        Assert.Equal(scheduler == "ddpm" ? "1.0" : null, fields.GetValueOrDefault("Eta DDIM"));
        Assert.Equal(image.Parameters, PngImageEncoder.ReadParameters(image.Png));
    }

    [Fact]
    public async Task Txt2img_writes_no_denoising_strength_and_no_negative_prompt_line_when_there_is_none()
    {
        var settings = new GenerationSettings { Prompt = "a cat", Steps = 2, Seed = 1, Width = 64, Height = 64, Scheduler = "euler" };

        var image = (await fixture.Pipeline.RunAsync(settings)).Images[0];
        var (prompt, negative, fields) = InfotextReader.Read(PngTextChunks.Read(image.Png, "parameters")!);

        Assert.Equal("a cat", prompt);
        Assert.Equal("", negative);
        Assert.False(fields.ContainsKey("Denoising strength"));
        Assert.Equal(fixture.Model.Name, fields["Model"]);
    }
}
