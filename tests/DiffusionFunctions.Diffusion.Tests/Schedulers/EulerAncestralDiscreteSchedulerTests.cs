using DiffusionFunctions.Diffusion.Randomness;
using DiffusionFunctions.Diffusion.Schedulers;

namespace DiffusionFunctions.Diffusion.Tests.Schedulers;

/// <summary>
/// Full loops of diffusers' <c>tests/schedulers/test_scheduler_euler_ancestral.py</c>. They are stochastic: the reference draws
/// its step noise from <c>torch.manual_seed(0)</c>, which <see cref="TorchGenerator"/>(0) reproduces.
/// </summary>
public sealed class EulerAncestralDiscreteSchedulerTests
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
        var sample = FullLoops.WithScaling(new EulerAncestralDiscreteScheduler(TestConfig), 10, new TorchGenerator(0));

        ReferenceAssert.SumAndMean(sample, 152.3192, 1e-2, 0.1983, 1e-3);
    }

    [Fact]
    public void Full_loop_with_v_prediction()
    {
        var scheduler = new EulerAncestralDiscreteScheduler(TestConfig with { PredictionType = PredictionType.VPrediction });

        var sample = FullLoops.WithScaling(scheduler, 10, new TorchGenerator(0));

        ReferenceAssert.SumAndMean(sample, 108.4439, 1e-2, 0.1412, 1e-3);
    }

    [Fact]
    public void Full_loop_with_noise_from_t_start_8()
    {
        var sample = FullLoops.WithScaling(new EulerAncestralDiscreteScheduler(TestConfig), 10, new TorchGenerator(0), startIndex: 8);

        ReferenceAssert.SumAndMean(sample, 56163.0508, 1e-2, 73.1290, 1e-3);
    }

    [Fact]
    public void A_different_seed_gives_a_different_sample()
    {
        var seed0 = FullLoops.WithScaling(new EulerAncestralDiscreteScheduler(TestConfig), 10, new TorchGenerator(0));
        var seed1 = FullLoops.WithScaling(new EulerAncestralDiscreteScheduler(TestConfig), 10, new TorchGenerator(1));

        Assert.NotEqual(seed0, seed1);
    }

    [Fact]
    public void Step_without_a_generator_is_refused()
    {
        var scheduler = new EulerAncestralDiscreteScheduler(TestConfig);
        scheduler.SetTimesteps(10);
        var sample = DiffusersDummies.SampleDeter();

        var error = Assert.Throws<ArgumentNullException>(() => scheduler.Step(sample, scheduler.Timesteps[0], sample, new float[sample.Length], null));
        Assert.Contains("euler-ancestral", error.Message, StringComparison.Ordinal);
    }
}
