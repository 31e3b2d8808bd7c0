using DiffusionFunctions.Diffusion.Schedulers;

namespace DiffusionFunctions.Diffusion.Tests.Schedulers;

/// <summary>Full loops (with the Runge-Kutta warm-up) and timesteps of diffusers' <c>tests/schedulers/test_scheduler_pndm.py</c>.</summary>
public sealed class PndmSchedulerTests
{
    private static SchedulerConfig TestConfig => new()
    {
        NumTrainTimesteps = 1000,
        BetaStart = 0.0001,
        BetaEnd = 0.02,
        BetaSchedule = BetaScheduleKind.Linear,
    };

    [Fact]
    public void Full_loop_no_noise()
    {
        var sample = FullLoops.WithoutScaling(new PndmScheduler(TestConfig), 10, null);

        ReferenceAssert.SumAndMean(sample, 198.1318, 1e-2, 0.2580, 1e-3);
    }

    [Fact]
    public void Full_loop_with_v_prediction()
    {
        var sample = FullLoops.WithoutScaling(new PndmScheduler(TestConfig with { PredictionType = PredictionType.VPrediction }), 10, null);

        ReferenceAssert.SumAndMean(sample, 67.3986, 1e-2, 0.0878, 1e-3);
    }

    [Fact]
    public void Full_loop_with_set_alpha_to_one()
    {
        var sample = FullLoops.WithoutScaling(new PndmScheduler(TestConfig with { SetAlphaToOne = true, BetaStart = 0.01 }), 10, null);

        ReferenceAssert.SumAndMean(sample, 230.0399, 1e-2, 0.2995, 1e-3);
    }

    [Fact]
    public void Full_loop_with_no_set_alpha_to_one()
    {
        var sample = FullLoops.WithoutScaling(new PndmScheduler(TestConfig with { SetAlphaToOne = false, BetaStart = 0.01 }), 10, null);

        ReferenceAssert.SumAndMean(sample, 186.9482, 1e-2, 0.2434, 1e-3);
    }

    [Fact]
    public void Steps_offset_1_gives_the_reference_prk_and_plms_timesteps()
    {
        var scheduler = new PndmScheduler(TestConfig with { StepsOffset = 1 });
        scheduler.SetTimesteps(10);

        Assert.Equal(
            [901f, 851f, 851f, 801f, 801f, 751f, 751f, 701f, 701f, 651f, 651f, 601f, 601f, 501f, 401f, 301f, 201f, 101f, 1f],
            scheduler.Timesteps);
        Assert.Equal(12, scheduler.PrkStepCount);
    }

    [Fact]
    public void Stable_diffusion_config_skips_prk_and_repeats_the_second_timestep()
    {
        // Stable Diffusion 1.x scheduler_config.json: PNDM, scaled_linear, skip_prk_steps, steps_offset 1.
        var scheduler = new PndmScheduler(new SchedulerConfig
        {
            BetaStart = 0.00085,
            BetaEnd = 0.012,
            BetaSchedule = BetaScheduleKind.ScaledLinear,
            SkipPrkSteps = true,
            StepsOffset = 1,
            SetAlphaToOne = false,
        });
        scheduler.SetTimesteps(50);

        Assert.Equal(51, scheduler.Timesteps.Count);
        Assert.Equal([981f, 961f, 961f, 941f, 921f], scheduler.Timesteps.Take(5));
        Assert.Equal(1f, scheduler.Timesteps[^1]);
        Assert.Equal(0, scheduler.PrkStepCount);
    }

    [Fact]
    public void Prk_needs_at_least_four_inference_steps()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PndmScheduler(TestConfig).SetTimesteps(3));

        Assert.Contains("num_inference_steps >= 4", error.Message, StringComparison.Ordinal);
        new PndmScheduler(TestConfig with { SkipPrkSteps = true }).SetTimesteps(3);
    }
}
