using DiffusionFunctions.Diffusion.Schedulers;

namespace DiffusionFunctions.Diffusion.Tests.Schedulers;

/// <summary>
/// Options a sampler's diffusers class takes but this project does not implement are refused by name when set to anything
/// but diffusers' default; options the class does not take at all are ignored (a config shared between samplers).
/// </summary>
public sealed class UnimplementedOptionTests
{
    [Theory]
    [InlineData("ddim", "thresholding", "true")]
    [InlineData("ddim", "dynamic_thresholding_ratio", "0.9")]
    [InlineData("ddim", "sample_max_value", "1.5")]
    [InlineData("ddpm", "thresholding", "true")]
    [InlineData("ddpm", "variance_type", "\"learned_range\"")]
    [InlineData("lcm", "thresholding", "true")]
    [InlineData("euler", "use_exponential_sigmas", "true")]
    [InlineData("euler", "use_beta_sigmas", "true")]
    [InlineData("euler", "sigma_min", "0.03")]
    [InlineData("euler", "sigma_max", "14.6")]
    [InlineData("euler", "timestep_type", "\"continuous\"")]
    [InlineData("lms", "use_exponential_sigmas", "true")]
    [InlineData("lms", "use_beta_sigmas", "true")]
    [InlineData("dpm++-2m", "thresholding", "true")]
    [InlineData("dpm++-2m-karras", "use_beta_sigmas", "true")]
    [InlineData("dpm++-2m", "use_flow_sigmas", "true")]
    [InlineData("dpm++-2m", "flow_shift", "3.0")]
    [InlineData("dpm++-2m", "variance_type", "\"learned\"")]
    [InlineData("dpm++-2m", "use_dynamic_shifting", "true")]
    [InlineData("dpm++-2m", "time_shift_type", "\"linear\"")]
    public void A_non_default_value_of_an_unimplemented_option_is_refused_by_name(string sampler, string key, string json)
    {
        var config = SchedulerConfig.Parse($$"""{ "{{key}}": {{json}} }""");

        var error = Assert.Throws<SchedulerConfigException>(() => SchedulerFactory.Create(sampler, config));

        Assert.Equal(key, error.Key);
        Assert.Contains(sampler.Replace("-karras", string.Empty, StringComparison.Ordinal), error.Message, StringComparison.Ordinal);
        Assert.Contains("diffusers default", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ddim", """{ "thresholding": false, "dynamic_thresholding_ratio": 0.995, "sample_max_value": 1.0 }""")]
    [InlineData("euler", """{ "use_exponential_sigmas": false, "use_beta_sigmas": false, "timestep_type": "discrete" }""")]
    [InlineData("dpm++-2m", """{ "variance_type": "fixed_small", "flow_shift": 1.0, "time_shift_type": "exponential" }""")]
    public void Default_values_of_unimplemented_options_are_accepted(string sampler, string json)
    {
        SchedulerFactory.Create(sampler, SchedulerConfig.Parse(json)).SetTimesteps(10);
    }

    [Theory]
    [InlineData("euler", "thresholding", "true")]
    [InlineData("euler-ancestral", "use_exponential_sigmas", "true")]
    [InlineData("pndm", "thresholding", "true")]
    [InlineData("ddim", "use_beta_sigmas", "true")]
    [InlineData("lms", "variance_type", "\"learned_range\"")]
    [InlineData("lcm", "sigma_max", "14.6")]
    [InlineData("ddpm", "use_flow_sigmas", "true")]
    public void Keys_the_diffusers_class_does_not_take_are_ignored(string sampler, string key, string json)
    {
        var config = SchedulerConfig.Parse($$"""{ "{{key}}": {{json}} }""");

        var scheduler = SchedulerFactory.Create(sampler, config);
        scheduler.SetTimesteps(10);

        Assert.NotEmpty(scheduler.Timesteps);
    }
}
