using DiffusionFunctions.Diffusion.Imaging;

namespace DiffusionFunctions.Diffusion.Tests.Imaging;

public sealed class WebUiParametersTests
{
    private static readonly WebUiParameters Sample = new()
    {
        Prompt = "a (cat:1.2) on a mat",
        NegativePrompt = "blurry",
        Steps = 25,
        Sampler = "Euler a",
        CfgScale = 7.5,
        Seed = 123,
        Width = 512,
        Height = 512,
        Model = "tiny",
    };

    [Fact]
    public void Formats_exactly_as_the_web_uis_write_it()
    {
        Assert.Equal(
            "a (cat:1.2) on a mat\nNegative prompt: blurry\nSteps: 25, Sampler: Euler a, CFG scale: 7.5, Seed: 123, Size: 512x512, Model: tiny",
            Sample.ToText());
    }

    [Fact]
    public void Leaves_out_an_empty_negative_prompt_and_writes_strength()
    {
        var text = (Sample with { NegativePrompt = "", CfgScale = 7, DenoisingStrength = 0.75 }).ToText();
        Assert.Equal(
            "a (cat:1.2) on a mat\nSteps: 25, Sampler: Euler a, CFG scale: 7.0, Seed: 123, Size: 512x512, Model: tiny, Denoising strength: 0.75",
            text);
    }

    [Fact]
    public void Round_trips_multi_line_prompts_and_quoted_values()
    {
        var original = Sample with { Prompt = "line one\nline two", NegativePrompt = "bad, ugly", Model = "my, model: v2" };
        var text = original.ToText();
        Assert.Contains("Model: \"my, model: v2\"", text, StringComparison.Ordinal);
        Assert.Equal(original, WebUiParameters.Parse(text));
    }

    [Fact]
    public void Text_without_a_parameter_line_does_not_parse()
    {
        Assert.Null(WebUiParameters.Parse("just a prompt"));
        Assert.Null(WebUiParameters.Parse("a cat\nSteps: 20, Sampler: Euler"));
    }

    [Fact]
    public void Png_round_trip_carries_the_parameters()
    {
        var png = PngImageEncoder.Encode(TestImages.Gradient(16, 8), Sample);
        Assert.Equal(Sample, PngImageEncoder.ReadParameters(png));
        Assert.Equal("Euler a", WebUiSamplerNames.FromSchedulerName("euler-ancestral"));
        Assert.Equal("DPM++ 2M", WebUiSamplerNames.FromSchedulerName("dpm++-2m-karras"));
    }

    [Fact]
    public void Writes_the_schedule_type_after_the_sampler_and_quotes_newlines()
    {
        var text = (Sample with { Sampler = "DPM++ 2M", ScheduleType = "Karras", Model = "two\nlines" }).ToText();

        Assert.Equal(
            "a (cat:1.2) on a mat\nNegative prompt: blurry\nSteps: 25, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7.5, Seed: 123, Size: 512x512, Model: \"two\\nlines\"",
            text);
        Assert.Equal("Karras", WebUiParameters.Parse(text)!.ScheduleType);
    }

    [Theory]
    [InlineData("dpm++-2m", "DPM++ 2M", "Uniform")]
    [InlineData("dpm++-2m-karras", "DPM++ 2M", "Karras")]
    [InlineData("euler-ancestral", "Euler a", "Uniform")]
    [InlineData("ddim", "DDIM", "")]
    public void Sampler_names_carry_an_explicit_schedule(string scheduler, string name, string scheduleType)
    {
        Assert.Equal(new WebUiSampler(name, scheduleType), WebUiSamplerNames.FromScheduler(scheduler));
    }

    [Fact]
    public void Ddpm_is_written_as_the_web_uis_ddim_with_eta_one()
    {
        Assert.Equal(new WebUiSampler("DDIM", "", 1.0), WebUiSamplerNames.FromScheduler("ddpm"));
        var text = (Sample with { Sampler = "DDIM", EtaDdim = 1.0 }).ToText();
        Assert.EndsWith("Model: tiny, Eta DDIM: 1.0", text, StringComparison.Ordinal);
        Assert.Equal(1.0, WebUiParameters.Parse(text)!.EtaDdim);
    }
}
