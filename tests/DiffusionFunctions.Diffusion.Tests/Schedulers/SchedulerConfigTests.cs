using DiffusionFunctions.Diffusion.Schedulers;

namespace DiffusionFunctions.Diffusion.Tests.Schedulers;

/// <summary>Reading <c>scheduler/scheduler_config.json</c>: the real Stable Diffusion files, defaults, ignored keys, errors naming the key.</summary>
public sealed class SchedulerConfigTests
{
    // runwayml/stable-diffusion-v1-5 scheduler/scheduler_config.json
    private const string StableDiffusion15 = """
        {
          "_class_name": "PNDMScheduler",
          "_diffusers_version": "0.6.0",
          "beta_end": 0.012,
          "beta_schedule": "scaled_linear",
          "beta_start": 0.00085,
          "num_train_timesteps": 1000,
          "set_alpha_to_one": false,
          "skip_prk_steps": true,
          "steps_offset": 1,
          "trained_betas": null,
          "clip_sample": false
        }
        """;

    // stabilityai/stable-diffusion-2-1 scheduler/scheduler_config.json
    private const string StableDiffusion21 = """
        {
          "_class_name": "DDIMScheduler",
          "_diffusers_version": "0.8.0",
          "beta_end": 0.012,
          "beta_schedule": "scaled_linear",
          "beta_start": 0.00085,
          "clip_sample": false,
          "num_train_timesteps": 1000,
          "prediction_type": "v_prediction",
          "set_alpha_to_one": false,
          "skip_prk_steps": true,
          "steps_offset": 1,
          "trained_betas": null
        }
        """;

    [Fact]
    public void Stable_diffusion_1_5_config_parses_and_names_pndm_as_the_default()
    {
        var config = SchedulerConfig.Parse(StableDiffusion15);

        Assert.Equal("PNDMScheduler", config.ClassName);
        Assert.Equal(0.00085, config.BetaStart);
        Assert.Equal(0.012, config.BetaEnd);
        Assert.Equal(BetaScheduleKind.ScaledLinear, config.BetaSchedule);
        Assert.Equal(1, config.StepsOffset);
        Assert.True(config.SkipPrkSteps);
        Assert.False(config.SetAlphaToOne);
        Assert.Null(config.TrainedBetas);
        Assert.Null(config.TimestepSpacing);
        Assert.Equal("pndm", SchedulerFactory.DefaultNameFor(config));
    }

    [Fact]
    public void Stable_diffusion_2_1_config_reads_v_prediction()
    {
        var config = SchedulerConfig.Parse(StableDiffusion21);

        Assert.Equal(PredictionType.VPrediction, config.PredictionType);
        Assert.Equal("ddim", SchedulerFactory.DefaultNameFor(config));
    }

    [Fact]
    public void Load_reads_a_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"scheduler_config_{Guid.NewGuid():N}.json");
        File.WriteAllText(path, StableDiffusion15);
        try
        {
            Assert.Equal(SchedulerConfig.Parse(StableDiffusion15), SchedulerConfig.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task LoadAsync_reads_a_file_and_reports_a_bad_value_with_its_key()
    {
        var path = Path.Combine(Path.GetTempPath(), $"scheduler_config_{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, StableDiffusion21);
        try
        {
            Assert.Equal(SchedulerConfig.Parse(StableDiffusion21), await SchedulerConfig.LoadAsync(path));
            await File.WriteAllTextAsync(path, StableDiffusion21.Replace("\"v_prediction\"", "\"velocity\"", StringComparison.Ordinal));
            var error = await Assert.ThrowsAsync<SchedulerConfigException>(() => SchedulerConfig.LoadAsync(path));
            Assert.Equal("prediction_type", error.Key);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Unknown_keys_are_kept_aside_for_the_samplers_and_ignored_by_those_that_do_not_take_them()
    {
        var config = SchedulerConfig.Parse("""{ "num_train_timesteps": 500, "made_up_option": [1, 2], "sample_max_value": 1.0 }""");

        Assert.Equal(SchedulerConfig.Default with { NumTrainTimesteps = 500, OtherKeys = config.OtherKeys }, config);
        Assert.Equal(["made_up_option", "sample_max_value"], config.OtherKeys.Keys.Order(StringComparer.Ordinal));
        Assert.NotEqual(SchedulerConfig.Default with { NumTrainTimesteps = 500 }, config);
        foreach (var name in SchedulerFactory.Names)
        {
            SchedulerFactory.Create(name, config).SetTimesteps(10);
        }

        Assert.Equal(config, SchedulerConfig.Parse(config.ToJson()));
    }

    [Fact]
    public void Python_json_non_finite_numbers_parse_as_diffusers_saves_them()
    {
        // diffusers' save_config writes DPM-Solver's default lambda_min_clipped as the bare token -Infinity.
        var config = SchedulerConfig.Parse("""
            { "_class_name": "DPMSolverMultistepScheduler", "lambda_min_clipped": -Infinity, "note": "NaN -Infinity \" Infinity" }
            """);

        Assert.Equal(double.NegativeInfinity, config.LambdaMinClipped);
        Assert.Equal("NaN -Infinity \" Infinity", config.OtherKeys["note"].GetString());
        Assert.Equal(-5.1, SchedulerConfig.Parse("""{ "lambda_min_clipped": -5.1 }""").LambdaMinClipped);
        new DpmSolverMultistepScheduler(config).SetTimesteps(10);
    }

    [Fact]
    public void An_empty_object_gives_the_diffusers_defaults()
    {
        var config = SchedulerConfig.Parse("{}");

        Assert.Equal(1000, config.NumTrainTimesteps);
        Assert.Equal(PredictionType.Epsilon, config.PredictionType);
        Assert.Equal(2, config.SolverOrder);
        Assert.True(config.LowerOrderFinal);
        Assert.Equal(SchedulerConfig.Default, config);
    }

    [Theory]
    [InlineData("""{ "beta_schedule": "cubic" }""", "beta_schedule", "squaredcos_cap_v2")]
    [InlineData("""{ "timestep_spacing": "even" }""", "timestep_spacing", "trailing")]
    [InlineData("""{ "num_train_timesteps": "many" }""", "num_train_timesteps", "integer")]
    [InlineData("""{ "num_train_timesteps": 1000.5 }""", "num_train_timesteps", "integer")]
    [InlineData("""{ "beta_start": true }""", "beta_start", "number")]
    [InlineData("""{ "beta_end": 1.5 }""", "beta_end", "(0, 1)")]
    [InlineData("""{ "skip_prk_steps": "yes" }""", "skip_prk_steps", "true or false")]
    [InlineData("""{ "trained_betas": [0.1, 0.2] }""", "trained_betas", "num_train_timesteps")]
    [InlineData("""{ "steps_offset": -1 }""", "steps_offset", "[0, num_train_timesteps)")]
    [InlineData("""{ "solver_order": 4 }""", "solver_order", "1, 2 and 3")]
    [InlineData("""{ "lambda_min_clipped": "low" }""", "lambda_min_clipped", "number")]
    [InlineData("""{ "final_sigmas_type": "one" }""", "final_sigmas_type", "sigma_min")]
    public void A_wrong_value_is_an_error_naming_the_key(string json, string key, string hint)
    {
        var error = Assert.Throws<SchedulerConfigException>(() => SchedulerConfig.Parse(json));

        Assert.Equal(key, error.Key);
        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_that_is_not_a_json_object_is_refused()
    {
        Assert.Throws<SchedulerConfigException>(() => SchedulerConfig.Parse("[1, 2]"));
        Assert.Throws<SchedulerConfigException>(() => SchedulerConfig.Parse("{ not json"));
    }

    [Fact]
    public void Trained_betas_replace_the_schedule_and_round_trip()
    {
        var betas = Enumerable.Range(0, 10).Select(i => 0.01 + (i * 0.01)).ToArray();
        var config = new SchedulerConfig { NumTrainTimesteps = 10, TrainedBetas = betas };

        var parsed = SchedulerConfig.Parse(config.ToJson());

        Assert.Equal(config, parsed);
        Assert.Equal(betas, parsed.TrainedBetas);
    }
}
