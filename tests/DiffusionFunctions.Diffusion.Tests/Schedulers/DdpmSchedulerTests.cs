using DiffusionFunctions.Diffusion.Randomness;
using DiffusionFunctions.Diffusion.Schedulers;

namespace DiffusionFunctions.Diffusion.Tests.Schedulers;

/// <summary>
/// Full loops of diffusers' <c>tests/schedulers/test_scheduler_ddpm.py</c>: all 1000 training timesteps, each step with t &gt; 0
/// drawing a 4×3×8×8 noise from <c>torch.manual_seed(0)</c>, reproduced by <see cref="TorchGenerator"/>(0).
/// </summary>
public sealed class DdpmSchedulerTests
{
    private static SchedulerConfig TestConfig => new()
    {
        NumTrainTimesteps = 1000,
        BetaStart = 0.0001,
        BetaEnd = 0.02,
        BetaSchedule = BetaScheduleKind.Linear,
        VarianceType = VarianceType.FixedSmall,
        ClipSample = true,
    };

    [Fact]
    public void Full_loop_no_noise()
    {
        var sample = FullLoops.WithoutScaling(new DdpmScheduler(TestConfig), null, new TorchGenerator(0));

        ReferenceAssert.SumAndMean(sample, 258.9606, 1e-2, 0.3372, 1e-3);
    }

    [Fact]
    public void Full_loop_with_v_prediction()
    {
        var sample = FullLoops.WithoutScaling(new DdpmScheduler(TestConfig with { PredictionType = PredictionType.VPrediction }), null, new TorchGenerator(0));

        ReferenceAssert.SumAndMean(sample, 202.0296, 1e-2, 0.2631, 1e-3);
    }

    [Fact]
    public void Full_loop_with_noise_over_the_last_two_training_timesteps()
    {
        var sample = FullLoops.WithoutScaling(new DdpmScheduler(TestConfig), null, new TorchGenerator(0), startIndex: 998);

        ReferenceAssert.SumAndMean(sample, 387.9466, 1e-2, 0.5051, 1e-3);
    }

    [Fact]
    public void Set_timesteps_uses_leading_spacing_by_default()
    {
        var scheduler = new DdpmScheduler(TestConfig);
        scheduler.SetTimesteps(5);

        Assert.Equal([800f, 600f, 400f, 200f, 0f], scheduler.Timesteps);
    }
}
