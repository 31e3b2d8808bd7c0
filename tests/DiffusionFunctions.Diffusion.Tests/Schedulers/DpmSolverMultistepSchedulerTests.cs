using DiffusionFunctions.Diffusion.Schedulers;

namespace DiffusionFunctions.Diffusion.Tests.Schedulers;

/// <summary>
/// Full loops of diffusers' <c>tests/schedulers/test_scheduler_dpm_multi.py</c>: DPM-Solver++ 2M, midpoint, lower_order_final
/// off and final_sigmas_type sigma_min, as that test's <c>get_scheduler_config</c> sets them.
/// </summary>
public sealed class DpmSolverMultistepSchedulerTests
{
    private static SchedulerConfig TestConfig => new()
    {
        NumTrainTimesteps = 1000,
        BetaStart = 0.0001,
        BetaEnd = 0.02,
        BetaSchedule = BetaScheduleKind.Linear,
        SolverOrder = 2,
        PredictionType = PredictionType.Epsilon,
        AlgorithmType = "dpmsolver++",
        SolverType = "midpoint",
        LowerOrderFinal = false,
        EulerAtFinal = false,
        FinalSigmasType = FinalSigmasType.SigmaMin,
    };

    [Fact]
    public void Full_loop_no_noise()
    {
        var sample = FullLoops.WithoutScaling(new DpmSolverMultistepScheduler(TestConfig), 10, null);

        ReferenceAssert.Mean(sample, 0.3301, 1e-3);
    }

    [Fact]
    public void Full_loop_with_v_prediction()
    {
        var scheduler = new DpmSolverMultistepScheduler(TestConfig with { PredictionType = PredictionType.VPrediction });

        ReferenceAssert.Mean(FullLoops.WithoutScaling(scheduler, 10, null), 0.2251, 1e-3);
    }

    [Fact]
    public void Full_loop_with_karras_and_v_prediction()
    {
        var scheduler = new DpmSolverMultistepScheduler(TestConfig with { PredictionType = PredictionType.VPrediction, UseKarrasSigmas = true });

        Assert.Equal("dpm++-2m-karras", scheduler.Name);
        ReferenceAssert.Mean(FullLoops.WithoutScaling(scheduler, 10, null), 0.2096, 1e-3);
    }

    [Fact]
    public void Full_loop_with_noise_from_t_start_5()
    {
        var sample = FullLoops.WithoutScaling(new DpmSolverMultistepScheduler(TestConfig), 10, null, startIndex: 5);

        ReferenceAssert.SumAndMean(sample, 318.4111, 1e-2, 0.4146, 1e-3);
    }

    [Fact]
    public void Linspace_timesteps_drop_the_last_of_n_plus_one_points()
    {
        var scheduler = new DpmSolverMultistepScheduler(TestConfig);
        scheduler.SetTimesteps(10);

        // np.linspace(0, 999, 11).round()[::-1][:-1]: 599.4 rounds to 599, 499.5 to the even 500.
        Assert.Equal([999f, 899f, 799f, 699f, 599f, 500f, 400f, 300f, 200f, 100f], scheduler.Timesteps);
        Assert.Equal(11, scheduler.Sigmas.Count);
        Assert.True(scheduler.Sigmas[^1] > 0, "sigma_min keeps a non-zero final sigma");
    }

    [Fact]
    public void Final_sigma_zero_ends_on_a_first_order_step_to_the_data_prediction()
    {
        // With final_sigmas_type "zero" the last update lands on σ = 0, so its result is x̂_0 = (x - σ_t ε) / α_t of that step.
        var scheduler = new DpmSolverMultistepScheduler(TestConfig with { FinalSigmasType = FinalSigmasType.Zero });
        scheduler.SetTimesteps(10);
        Assert.Equal(0f, scheduler.Sigmas[^1]);

        var sample = DiffusersDummies.SampleDeter();
        var output = new float[sample.Length];
        foreach (var t in scheduler.Timesteps.Take(9))
        {
            DiffusersDummies.Model(sample, t, output);
            scheduler.Step(output, t, sample, sample, null);
        }

        var last = scheduler.Timesteps[^1];
        DiffusersDummies.Model(sample, last, output);
        var sigma = scheduler.Sigmas[^2];
        var alpha = 1.0f / MathF.Sqrt((sigma * sigma) + 1.0f);
        var expected = sample.Select((x, i) => (x - (sigma * alpha * output[i])) / alpha).ToArray();
        var result = new float[sample.Length];
        scheduler.Step(output, last, sample, result, null);

        for (var i = 0; i < result.Length; i++)
        {
            Assert.Equal(expected[i], result[i], 5);
        }
    }

    [Theory]
    [InlineData("dpmsolver")]
    [InlineData("sde-dpmsolver")]
    [InlineData("unipc")]
    public void The_noise_prediction_algorithm_types_are_refused_naming_the_key(string algorithm)
    {
        var error = Assert.Throws<SchedulerConfigException>(() => new DpmSolverMultistepScheduler(TestConfig with { AlgorithmType = algorithm }));

        Assert.Equal("algorithm_type", error.Key);
        Assert.Contains("sde-dpmsolver++", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deis_runs_as_dpm_solver_plus_plus_as_diffusers_maps_it()
    {
        var deis = FullLoops.WithoutScaling(new DpmSolverMultistepScheduler(TestConfig with { AlgorithmType = "deis" }), 10, null);

        Assert.Equal(FullLoops.WithoutScaling(new DpmSolverMultistepScheduler(TestConfig), 10, null), deis);
    }

    [Fact]
    public void Sde_dpm_solver_needs_a_noise_source()
    {
        var scheduler = new DpmSolverMultistepScheduler(TestConfig with { AlgorithmType = "sde-dpmsolver++" });

        var error = Assert.Throws<ArgumentNullException>(() => FullLoops.WithoutScaling(scheduler, 10, null));
        Assert.Contains("stochastic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lambda_min_clipped_drops_the_noisiest_timesteps_as_diffusers_searchsorted_does()
    {
        // Cosine schedule: λ_t = log α_t - log σ_t falls below -5.1 for the last training steps; linspace then spans
        // [0, last_timestep - 1] instead of [0, 999].
        var config = TestConfig with { BetaSchedule = BetaScheduleKind.SquaredCosCapV2, FinalSigmasType = FinalSigmasType.Zero };
        var clipped = new DpmSolverMultistepScheduler(config with { LambdaMinClipped = -5.1 });
        var full = new DpmSolverMultistepScheduler(config);
        clipped.SetTimesteps(10);
        full.SetTimesteps(10);

        Assert.Equal(999f, full.Timesteps[0]);
        Assert.True(clipped.Timesteps[0] < 999f, $"first clipped timestep {clipped.Timesteps[0]}");
        Assert.All(FullLoops.WithoutScaling(clipped, 10, null), v => Assert.True(float.IsFinite(v)));
    }
}
