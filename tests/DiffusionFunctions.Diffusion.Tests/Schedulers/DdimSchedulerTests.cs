using DiffusionFunctions.Diffusion.Randomness;
using DiffusionFunctions.Diffusion.Schedulers;

namespace DiffusionFunctions.Diffusion.Tests.Schedulers;

/// <summary>Full loops and timesteps of diffusers' <c>tests/schedulers/test_scheduler_ddim.py</c> (eta 0, clip_sample on).</summary>
public sealed class DdimSchedulerTests
{
    private static SchedulerConfig TestConfig => new()
    {
        NumTrainTimesteps = 1000,
        BetaStart = 0.0001,
        BetaEnd = 0.02,
        BetaSchedule = BetaScheduleKind.Linear,
        ClipSample = true,
    };

    [Fact]
    public void Full_loop_no_noise()
    {
        var sample = FullLoops.WithoutScaling(new DdimScheduler(TestConfig), 10, null);

        ReferenceAssert.SumAndMean(sample, 172.0067, 1e-2, 0.223967, 1e-3);
    }

    [Fact]
    public void Full_loop_with_v_prediction()
    {
        var sample = FullLoops.WithoutScaling(new DdimScheduler(TestConfig with { PredictionType = PredictionType.VPrediction }), 10, null);

        ReferenceAssert.SumAndMean(sample, 52.5302, 1e-2, 0.0684, 1e-3);
    }

    [Fact]
    public void Full_loop_with_set_alpha_to_one()
    {
        var sample = FullLoops.WithoutScaling(new DdimScheduler(TestConfig with { SetAlphaToOne = true, BetaStart = 0.01 }), 10, null);

        ReferenceAssert.SumAndMean(sample, 149.8295, 1e-2, 0.1951, 1e-3);
    }

    [Fact]
    public void Full_loop_with_no_set_alpha_to_one()
    {
        var sample = FullLoops.WithoutScaling(new DdimScheduler(TestConfig with { SetAlphaToOne = false, BetaStart = 0.01 }), 10, null);

        ReferenceAssert.SumAndMean(sample, 149.0784, 1e-2, 0.1941, 1e-3);
    }

    [Fact]
    public void Full_loop_with_noise_from_t_start_8()
    {
        var sample = FullLoops.WithoutScaling(new DdimScheduler(TestConfig), 10, null, startIndex: 8);

        ReferenceAssert.SumAndMean(sample, 354.5418, 1e-2, 0.4616, 1e-3);
    }

    [Fact]
    public void Steps_offset_1_gives_the_reference_timesteps()
    {
        var scheduler = new DdimScheduler(TestConfig with { StepsOffset = 1 });
        scheduler.SetTimesteps(5);

        Assert.Equal([801f, 601f, 401f, 201f, 1f], scheduler.Timesteps);
    }

    [Fact]
    public void Eta_above_zero_draws_noise_from_the_generator_and_reruns_identically()
    {
        var deterministic = FullLoops.WithoutScaling(new DdimScheduler(TestConfig), 10, null);
        var first = FullLoops.WithoutScaling(new DdimScheduler(TestConfig) { Eta = 1.0f }, 10, new TorchGenerator(3));
        var second = FullLoops.WithoutScaling(new DdimScheduler(TestConfig) { Eta = 1.0f }, 10, new TorchGenerator(3));

        Assert.Equal(first, second);
        Assert.NotEqual(deterministic, first);
        Assert.Throws<ArgumentNullException>(() => FullLoops.WithoutScaling(new DdimScheduler(TestConfig) { Eta = 1.0f }, 10, null));
    }

    [Fact]
    public void A_timestep_that_is_not_a_whole_training_step_is_refused()
    {
        var scheduler = new DdimScheduler(TestConfig);
        scheduler.SetTimesteps(10);
        var sample = DiffusersDummies.SampleDeter();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => scheduler.Step(sample, 900.5f, sample, sample, null));
        Assert.Contains("Timesteps", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_inference_steps_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DdimScheduler(TestConfig).SetTimesteps(0));
    }
}
