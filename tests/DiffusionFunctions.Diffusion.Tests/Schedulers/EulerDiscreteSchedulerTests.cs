using DiffusionFunctions.Diffusion.Randomness;
using DiffusionFunctions.Diffusion.Schedulers;

namespace DiffusionFunctions.Diffusion.Tests.Schedulers;

/// <summary>Full loops of diffusers' <c>tests/schedulers/test_scheduler_euler.py</c>: its config, expected sums and means, tolerances.</summary>
public sealed class EulerDiscreteSchedulerTests
{
    private static SchedulerConfig TestConfig => new()
    {
        NumTrainTimesteps = 1100,
        BetaStart = 0.0001,
        BetaEnd = 0.02,
        BetaSchedule = BetaScheduleKind.Linear,
    };

    [Fact]
    public void Full_loop_no_noise()
    {
        var sample = FullLoops.WithScaling(new EulerDiscreteScheduler(TestConfig), 10, new TorchGenerator(0));

        ReferenceAssert.SumAndMean(sample, 10.0807, 1e-2, 0.0131, 1e-3);
    }

    [Fact]
    public void Full_loop_with_v_prediction()
    {
        var scheduler = new EulerDiscreteScheduler(TestConfig with { PredictionType = PredictionType.VPrediction });

        var sample = FullLoops.WithScaling(scheduler, 10, new TorchGenerator(0));

        ReferenceAssert.SumAndMean(sample, 0.0002, 1e-2, 2.2676e-06, 1e-3);
    }

    [Fact]
    public void Full_loop_with_karras_sigmas()
    {
        var sample = FullLoops.WithScaling(new EulerDiscreteScheduler(TestConfig with { UseKarrasSigmas = true }), 10, new TorchGenerator(0));

        ReferenceAssert.SumAndMean(sample, 124.52299499511719, 1e-2, 0.16213932633399963, 1e-3);
    }

    [Fact]
    public void A_timestep_outside_the_schedule_is_refused_pointing_at_timesteps()
    {
        var scheduler = new EulerDiscreteScheduler(TestConfig);
        scheduler.SetTimesteps(10);
        var sample = DiffusersDummies.SampleDeter();

        var error = Assert.Throws<ArgumentException>(() => scheduler.ScaleModelInput(sample, 500f, sample));
        Assert.Contains("Timesteps", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_linspace_timesteps_are_fractional_and_descend_from_the_last_training_step()
    {
        var scheduler = new EulerDiscreteScheduler(TestConfig);
        scheduler.SetTimesteps(10);

        // np.linspace(0, 1099, 10)[::-1] as float32
        float[] expected = [1099f, 976.8889f, 854.7778f, 732.6667f, 610.5556f, 488.4444f, 366.3333f, 244.2222f, 122.1111f, 0f];
        Assert.Equal(expected.Length, scheduler.Timesteps.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], scheduler.Timesteps[i], 3);
        }

        Assert.Equal(11, scheduler.Sigmas.Count);
        Assert.Equal(0f, scheduler.Sigmas[^1]);
    }
}
