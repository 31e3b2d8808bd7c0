using DiffusionFunctions.Diffusion.Schedulers;

namespace DiffusionFunctions.Diffusion.Tests.Schedulers;

/// <summary>Full loops of diffusers' <c>tests/schedulers/test_scheduler_lms.py</c>.</summary>
public sealed class LmsDiscreteSchedulerTests
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
        var sample = FullLoops.WithScaling(new LmsDiscreteScheduler(TestConfig), 10, null);

        ReferenceAssert.SumAndMean(sample, 1006.388, 1e-2, 1.31, 1e-3);
    }

    [Fact]
    public void Full_loop_with_v_prediction()
    {
        var sample = FullLoops.WithScaling(new LmsDiscreteScheduler(TestConfig with { PredictionType = PredictionType.VPrediction }), 10, null);

        ReferenceAssert.SumAndMean(sample, 0.0017, 1e-2, 2.2676e-06, 1e-3);
    }

    [Fact]
    public void Full_loop_with_karras_sigmas()
    {
        var sample = FullLoops.WithScaling(new LmsDiscreteScheduler(TestConfig with { UseKarrasSigmas = true }), 10, null);

        ReferenceAssert.SumAndMean(sample, 3812.9927, 2e-2, 4.9648, 1e-3);
    }

    [Fact]
    public void Full_loop_with_noise_from_t_start_8()
    {
        var sample = FullLoops.WithScaling(new LmsDiscreteScheduler(TestConfig), 10, null, startIndex: 8);

        ReferenceAssert.SumAndMean(sample, 27663.6895, 1e-2, 36.0204, 1e-3);
    }
}
