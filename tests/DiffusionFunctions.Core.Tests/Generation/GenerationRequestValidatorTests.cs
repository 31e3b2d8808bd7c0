using DiffusionFunctions.Core.Generation;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Tests.Generation;

public sealed class GenerationRequestValidatorTests
{
    private static GenerationRequestValidator Validator(Action<GenerationOptions>? configure = null)
    {
        var options = new GenerationOptions { CallbacksEnabled = true };
        configure?.Invoke(options);
        return new GenerationRequestValidator(Options.Create(options));
    }

    [Fact]
    public void Minimal_request_leaves_size_steps_guidance_and_scheduler_to_the_model_and_picks_a_seed()
    {
        var result = Validator().Validate(new GenerationRequest { Prompt = "a boat" }, false, false);

        Assert.True(result.IsValid);
        var p = result.Parameters!;
        Assert.Equal((null, null, null, null, 1), (p.Width, p.Height, p.Steps, p.GuidanceScale, p.Count));
        Assert.Equal(GenerationMode.TextToImage, p.Mode);
        Assert.Null(p.Strength);
        Assert.Null(p.Scheduler);
        Assert.InRange(p.Seed, 0, GenerationRequestValidator.MaxSeed);
    }

    [Fact]
    public void Operator_defaults_pin_what_the_request_leaves_unset()
    {
        var result = Validator(o =>
        {
            o.DefaultWidth = 768;
            o.DefaultSteps = 30;
            o.DefaultGuidanceScale = 7.5;
            o.DefaultScheduler = SchedulerNames.Euler;
        }).Validate(new GenerationRequest { Prompt = "a boat" }, false, false);

        var p = result.Parameters!;
        Assert.Equal((768, null, 30, 7.5, "euler"), (p.Width, p.Height, p.Steps, p.GuidanceScale, p.Scheduler));
    }

    [Fact]
    public void Operator_defaults_do_not_override_what_the_request_gives()
    {
        var result = Validator(o => o.DefaultSteps = 30).Validate(new GenerationRequest { Prompt = "a boat", Steps = 12, Scheduler = "ddim" }, false, false);

        Assert.Equal((12, "ddim"), (result.Parameters!.Steps, result.Parameters.Scheduler));
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
        { "AND composition", new() { Prompt = "a red cat AND a blue dog:1.2" }, false, false, "prompt" },
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
        Assert.Equal("http://localhost:7000/hook", Validator(o => (o.AllowInsecureCallbacks, o.AllowPrivateCallbackHosts) = (true, true))
            .Validate(request, false, false).Parameters!.CallbackUrl);
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var result = Validator().Validate(new GenerationRequest { Width = 7, Steps = 0, Scheduler = "x" }, false, false);

        Assert.Equal(["prompt", "width", "steps", "scheduler"], result.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void A_callback_is_refused_where_the_deployment_sends_no_webhooks()
    {
        var request = new GenerationRequest { Prompt = "a boat", CallbackUrl = "https://example.com/hook" };

        var refused = Validator(o => o.CallbacksEnabled = false).Validate(request, false, false);
        var accepted = Validator().Validate(request, false, false);

        Assert.False(refused.IsValid);
        Assert.Equal(["This deployment does not send webhooks: omit callbackUrl and poll the job's Location URL instead."], refused.Errors.ToDictionary()["callbackUrl"]);
        Assert.True(accepted.IsValid, accepted.Errors.Summarize());
        Assert.False(new GenerationOptions().CallbacksEnabled);
    }

    [Fact]
    public void And_composition_is_refused_naming_the_feature_but_lower_case_and_a_negative_and_pass()
    {
        var refused = Validator().Validate(new GenerationRequest { Prompt = "a cat AND a dog" }, false, false);

        Assert.Contains("AND (composable diffusion", refused.Errors.ToDictionary()["prompt"][0], StringComparison.Ordinal);
        Assert.True(Validator().Validate(new GenerationRequest { Prompt = "a cat and a dog, ANDROID" }, false, false).IsValid);
        Assert.True(Validator().Validate(new GenerationRequest { Prompt = "a cat", NegativePrompt = "black AND white" }, false, false).IsValid);
    }

    [Theory]
    [InlineData("https://localhost/hook", "localhost")]
    [InlineData("https://LOCALHOST./hook", "localhost with a trailing dot")]
    [InlineData("https://api.localhost/hook", "a .localhost name")]
    [InlineData("https://127.0.0.1/hook", "IPv4 loopback")]
    [InlineData("https://2130706433/hook", "IPv4 loopback as one decimal number")]
    [InlineData("https://0x7f.1/hook", "IPv4 loopback in hex shorthand")]
    [InlineData("https://10.1.2.3:8443/hook", "private 10/8")]
    [InlineData("https://172.20.0.5/hook", "private 172.16/12")]
    [InlineData("https://192.168.1.1/hook", "private 192.168/16")]
    [InlineData("https://169.254.169.254/latest/meta-data", "link-local (cloud metadata)")]
    [InlineData("https://0.0.0.0/hook", "unspecified")]
    [InlineData("https://[::1]/hook", "IPv6 loopback")]
    [InlineData("https://[fe80::1]/hook", "IPv6 link-local")]
    [InlineData("https://[fd00::1]/hook", "IPv6 unique local")]
    [InlineData("https://[::ffff:127.0.0.1]/hook", "IPv4-mapped loopback")]
    public void Callback_to_a_literal_private_host_or_localhost_is_refused(string url, string why)
    {
        var result = Validator().Validate(new GenerationRequest { Prompt = "a", CallbackUrl = url }, false, false);

        Assert.False(result.IsValid, why);
        Assert.Contains("loopback, private or link-local", result.Errors.ToDictionary()["callbackUrl"][0], StringComparison.Ordinal);
        Assert.True(Validator(o => o.AllowPrivateCallbackHosts = true).Validate(new GenerationRequest { Prompt = "a", CallbackUrl = url }, false, false).IsValid,
            why + " is accepted when AllowPrivateCallbackHosts is on");
    }

    [Theory]
    [InlineData("https://example.com/hook")]
    [InlineData("https://8.8.8.8/hook")]
    [InlineData("https://[2606:4700::1111]/hook")]
    [InlineData("https://localhost.example.com/hook")]
    [InlineData("https://my-localhost/hook")]
    public void Callback_to_a_public_or_named_host_is_accepted(string url)
    {
        Assert.True(Validator().Validate(new GenerationRequest { Prompt = "a", CallbackUrl = url }, false, false).IsValid);
    }

    public static TheoryData<string, GenerationRequest> ControlCharacters => new()
    {
        { "prompt", new() { Prompt = "a cat\0" } },
        { "prompt", new() { Prompt = "a \u001B[31mred\u001B[0m cat" } },
        { "prompt", new() { Prompt = "a cat\u0085" } },
        { "prompt", new() { Prompt = "a cat\u007F" } },
        { "negativePrompt", new() { Prompt = "a cat", NegativePrompt = "blur\u0007" } },
        { "scheduler", new() { Prompt = "a cat", Scheduler = "ddim\0" } },
        { "mode", new() { Prompt = "a cat", Mode = "txt2img\u0001" } },
        { "callbackUrl", new() { Prompt = "a cat", CallbackUrl = "https://example.com/\u0000" } },
        { "initImage", new() { Prompt = "a cat", Mode = "img2img", InitImage = "AAAA\u0000" } },
        { "mask", new() { Prompt = "a cat", Mode = "inpaint", InitImage = "AAAA", Mask = "AAAA\u009B" } },
    };

    [Theory]
    [MemberData(nameof(ControlCharacters))]
    public void Control_characters_are_refused_in_every_text_field(string field, GenerationRequest request)
    {
        var result = Validator().Validate(request, request.InitImage is not null, request.Mask is not null);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors.ToDictionary()[field], m => m.Contains("control characters", StringComparison.Ordinal));
    }

    [Fact]
    public void Ordinary_whitespace_is_not_a_control_character_here()
    {
        Assert.True(Validator().Validate(new GenerationRequest { Prompt = "a cat,\tsitting\r\non a mat" }, false, false).IsValid);
    }
}
