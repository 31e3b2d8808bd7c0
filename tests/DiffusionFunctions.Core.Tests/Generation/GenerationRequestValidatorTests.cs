using DiffusionFunctions.Core.Generation;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Tests.Generation;

public sealed class GenerationRequestValidatorTests
{
    private static GenerationRequestValidator Validator(Action<GenerationOptions>? configure = null)
    {
        var options = new GenerationOptions();
        configure?.Invoke(options);
        return new GenerationRequestValidator(Options.Create(options));
    }

    [Fact]
    public void Minimal_request_gets_the_defaults_from_options_and_a_seed()
    {
        var result = Validator(o => o.DefaultWidth = 768).Validate(new GenerationRequest { Prompt = "a boat" }, false, false);

        Assert.True(result.IsValid);
        var p = result.Parameters!;
        Assert.Equal((768, 512, 30, 7.5, 1), (p.Width, p.Height, p.Steps, p.GuidanceScale, p.Count));
        Assert.Equal(GenerationMode.TextToImage, p.Mode);
        Assert.Null(p.Strength);
        Assert.Null(p.Scheduler);
        Assert.InRange(p.Seed, 0, GenerationRequestValidator.MaxSeed);
    }

    [Fact]
    public void Picked_seeds_differ_and_stay_in_the_unsigned_32_bit_range()
    {
        var seeds = Enumerable.Range(0, 64).Select(_ => GenerationRequestValidator.PickSeed()).ToList();

        Assert.All(seeds, s => Assert.InRange(s, 0, uint.MaxValue));
        Assert.True(seeds.Distinct().Count() > 60, "64 random 32-bit seeds should almost never collide.");
    }

    [Theory]
    [InlineData(null, false, false, GenerationMode.TextToImage)]
    [InlineData(null, true, false, GenerationMode.ImageToImage)]
    [InlineData(null, true, true, GenerationMode.Inpaint)]
    [InlineData("img2img", true, false, GenerationMode.ImageToImage)]
    [InlineData("inpaint", true, true, GenerationMode.Inpaint)]
    public void Mode_is_taken_or_inferred_from_the_images(string? mode, bool hasInit, bool hasMask, GenerationMode expected)
    {
        var result = Validator().Validate(new GenerationRequest { Prompt = "x", Mode = mode }, hasInit, hasMask);

        Assert.True(result.IsValid, result.Errors.Summarize());
        Assert.Equal(expected, result.Parameters!.Mode);
        Assert.Equal(expected == GenerationMode.TextToImage ? null : 0.75, result.Parameters.Strength);
    }

    public static TheoryData<string, GenerationRequest, bool, bool, string> Invalid => new()
    {
        { "blank prompt", new() { Prompt = " " }, false, false, "prompt" },
        { "prompt too long", new() { Prompt = new string('a', 2001) }, false, false, "prompt" },
        { "negative prompt too long", new() { Prompt = "a", NegativePrompt = new string('a', 2001) }, false, false, "negativePrompt" },
        { "width below min", new() { Prompt = "a", Width = 56 }, false, false, "width" },
        { "height above max", new() { Prompt = "a", Height = 1032 }, false, false, "height" },
        { "width not multiple of 8", new() { Prompt = "a", Width = 513 }, false, false, "width" },
        { "steps above max", new() { Prompt = "a", Steps = 151 }, false, false, "steps" },
        { "guidance negative", new() { Prompt = "a", GuidanceScale = -1 }, false, false, "guidanceScale" },
        { "guidance NaN", new() { Prompt = "a", GuidanceScale = double.NaN }, false, false, "guidanceScale" },
        { "seed negative", new() { Prompt = "a", Seed = -5 }, false, false, "seed" },
        { "seed too big", new() { Prompt = "a", Seed = 1L << 32 }, false, false, "seed" },
        { "scheduler wrong case", new() { Prompt = "a", Scheduler = "Euler" }, false, false, "scheduler" },
        { "count zero", new() { Prompt = "a", Count = 0 }, false, false, "count" },
        { "mode unknown", new() { Prompt = "a", Mode = "text2img" }, false, false, "mode" },
        { "txt2img with image", new() { Prompt = "a", Mode = "txt2img" }, true, false, "initImage" },
        { "img2img with mask", new() { Prompt = "a", Mode = "img2img" }, true, true, "mask" },
        { "inpaint without image", new() { Prompt = "a", Mode = "inpaint" }, false, true, "initImage" },
        { "strength zero", new() { Prompt = "a", Strength = 0 }, true, false, "strength" },
        { "steps times strength below one", new() { Prompt = "a", Steps = 2, Strength = 0.3 }, true, false, "strength" },
        { "inpaint steps times strength below one", new() { Prompt = "a", Mode = "inpaint", Steps = 3, Strength = 0.25 }, true, true, "strength" },
        { "callback ftp", new() { Prompt = "a", CallbackUrl = "ftp://example.com/x" }, false, false, "callbackUrl" },
        { "callback with fragment", new() { Prompt = "a", CallbackUrl = "https://example.com/x#y" }, false, false, "callbackUrl" },
        { "callback http when not allowed", new() { Prompt = "a", CallbackUrl = "http://localhost:7000/hook" }, false, false, "callbackUrl" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_request_names_the_field(string reason, GenerationRequest request, bool hasInit, bool hasMask, string field)
    {
        var result = Validator().Validate(request, hasInit, hasMask);

        Assert.False(result.IsValid, reason);
        Assert.Equal([field], result.Errors.ToDictionary().Keys);
        Assert.StartsWith(field, result.Errors.ToDictionary()[field][0].TrimStart('\''), StringComparison.Ordinal);
    }

    [Fact]
    public void Too_few_denoising_steps_name_steps_and_strength_and_one_step_is_enough()
    {
        var refused = Validator().Validate(new GenerationRequest { Prompt = "a", Steps = 3, Strength = 0.3 }, true, false);

        Assert.Equal(
            "strength 0.3 with steps 3 leaves no denoising step (int(steps × strength) = 0); raise steps or strength.",
            Assert.Single(refused.Errors.ToDictionary()["strength"]));
        Assert.True(Validator().Validate(new GenerationRequest { Prompt = "a", Steps = 4, Strength = 0.25 }, true, false).IsValid);
    }

    [Fact]
    public void Http_callback_is_accepted_only_when_insecure_callbacks_are_allowed()
    {
        var request = new GenerationRequest { Prompt = "a", CallbackUrl = "http://localhost:7000/hook" };

        Assert.False(Validator().Validate(request, false, false).IsValid);
        Assert.Equal("http://localhost:7000/hook", Validator(o => o.AllowInsecureCallbacks = true).Validate(request, false, false).Parameters!.CallbackUrl);
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var result = Validator().Validate(new GenerationRequest { Width = 7, Steps = 0, Scheduler = "x" }, false, false);

        Assert.Equal(["prompt", "width", "steps", "scheduler"], result.Errors.ToDictionary().Keys);
    }
}
