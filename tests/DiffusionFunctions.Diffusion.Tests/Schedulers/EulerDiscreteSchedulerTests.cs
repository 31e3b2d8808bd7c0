using DiffusionFunctions.Diffusion.Randomness;
using DiffusionFunctions.Diffusion.Schedulers;

namespace DiffusionFunctions.Diffusion.Tests.Schedulers;

/// <summary>Full loops of diffusers' <c>tests/schedulers/test_scheduler_euler.py</c> with its config, sums, means and tolerances.</summary>
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

        Assert.InRange(DiffusersDummies.SumAbs(sample), 10.0807 - 1e-2, 10.0807 + 1e-2);
        Assert.InRange(DiffusersDummies.MeanAbs(sample), 0.0131 - 1e-3, 0.0131 + 1e-3);
    }

    [Fact]
    public void Full_loop_with_v_prediction()
    {
        var sample = FullLoops.WithScaling(new EulerDiscreteScheduler(TestConfig with { PredictionType = PredictionType.VPrediction }), 10, new TorchGenerator(0));

        Assert.InRange(DiffusersDummies.SumAbs(sample), 0.0002 - 1e-2, 0.0002 + 1e-2);
        Assert.InRange(DiffusersDummies.MeanAbs(sample), 2.2676e-06 - 1e-3, 2.2676e-06 + 1e-3);
    }

    [Fact]
    public void Full_loop_with_karras_sigmas()
    {
        var sample = FullLoops.WithScaling(new EulerDiscreteScheduler(TestConfig with { UseKarrasSigmas = true }), 10, new TorchGenerator(0));

        Assert.InRange(DiffusersDummies.SumAbs(sample), 124.52299499511719 - 1e-2, 124.52299499511719 + 1e-2);
        Assert.InRange(DiffusersDummies.MeanAbs(sample), 0.16213932633399963 - 1e-3, 0.16213932633399963 + 1e-3);
    }
}
