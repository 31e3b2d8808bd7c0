using DiffusionFunctions.Diffusion.Schedulers;

namespace DiffusionFunctions.Diffusion.Tests.Schedulers;

/// <summary>Selection by API name and the default sampler of a model folder's scheduler class.</summary>
public sealed class SchedulerFactoryTests
{
    [Fact]
    public void Names_are_the_ones_the_api_accepts()
    {
        Assert.Equal(
            ["pndm", "ddim", "euler", "euler-ancestral", "lms", "dpm++-2m", "dpm++-2m-karras", "lcm", "ddpm"],
            SchedulerFactory.Names);
    }

    [Theory]
    [InlineData("pndm", typeof(PndmScheduler))]
    [InlineData("ddim", typeof(DdimScheduler))]
    [InlineData("euler", typeof(EulerDiscreteScheduler))]
    [InlineData("euler-ancestral", typeof(EulerAncestralDiscreteScheduler))]
    [InlineData("lms", typeof(LmsDiscreteScheduler))]
    [InlineData("dpm++-2m", typeof(DpmSolverMultistepScheduler))]
    [InlineData("dpm++-2m-karras", typeof(DpmSolverMultistepScheduler))]
    [InlineData("lcm", typeof(LcmScheduler))]
    [InlineData("ddpm", typeof(DdpmScheduler))]
    [InlineData("Euler-Ancestral", typeof(EulerAncestralDiscreteScheduler))]
    public void Create_builds_the_sampler_for_each_name(string name, Type expected)
    {
        var scheduler = SchedulerFactory.Create(name, SchedulerConfig.Default);

        Assert.IsType(expected, scheduler);
        Assert.Equal(name.ToLowerInvariant(), scheduler.Name);
    }

    [Fact]
    public void The_karras_name_switches_karras_sigmas_on_and_the_plain_name_off()
    {
        var karras = SchedulerFactory.Create("dpm++-2m-karras", SchedulerConfig.Default);
        var plain = SchedulerFactory.Create("dpm++-2m", SchedulerConfig.Default with { UseKarrasSigmas = true });

        Assert.True(karras.Config.UseKarrasSigmas);
        Assert.False(plain.Config.UseKarrasSigmas);
    }

    [Theory]
    [InlineData("PNDMScheduler", "pndm")]
    [InlineData("DDIMScheduler", "ddim")]
    [InlineData("EulerDiscreteScheduler", "euler")]
    [InlineData("EulerAncestralDiscreteScheduler", "euler-ancestral")]
    [InlineData("LMSDiscreteScheduler", "lms")]
    [InlineData("DPMSolverMultistepScheduler", "dpm++-2m")]
    [InlineData("LCMScheduler", "lcm")]
    [InlineData("DDPMScheduler", "ddpm")]
    public void Default_name_follows_the_model_folder_class(string className, string name)
    {
        Assert.Equal(name, SchedulerFactory.DefaultNameFor(className));
    }

    [Fact]
    public void A_dpm_solver_folder_with_karras_sigmas_defaults_to_the_karras_name()
    {
        var config = SchedulerConfig.Default with { ClassName = "DPMSolverMultistepScheduler", UseKarrasSigmas = true };

        Assert.Equal("dpm++-2m-karras", SchedulerFactory.DefaultNameFor(config));
    }

    [Fact]
    public void An_unsupported_class_is_an_error_listing_the_supported_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => SchedulerFactory.DefaultNameFor("UniPCMultistepScheduler"));

        Assert.Contains("UniPCMultistepScheduler", error.Message, StringComparison.Ordinal);
        Assert.Contains("PNDMScheduler", error.Message, StringComparison.Ordinal);
        Assert.False(SchedulerFactory.TryGetDefaultName("UniPCMultistepScheduler", out _));
    }

    [Fact]
    public void An_unknown_name_is_an_error_listing_every_valid_name()
    {
        var error = Assert.Throws<ArgumentException>(() => SchedulerFactory.Create("k_euler", SchedulerConfig.Default));

        Assert.Equal("name", error.ParamName);
        Assert.Contains("'k_euler'", error.Message, StringComparison.Ordinal);
        Assert.All(SchedulerFactory.Names, n => Assert.Contains(n, error.Message, StringComparison.Ordinal));
        Assert.False(SchedulerFactory.IsKnown("k_euler"));
        Assert.True(SchedulerFactory.IsKnown("DDIM"));
    }
}
