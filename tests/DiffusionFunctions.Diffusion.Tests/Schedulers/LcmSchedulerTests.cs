using DiffusionFunctions.Diffusion.Randomness;
using DiffusionFunctions.Diffusion.Schedulers;

namespace DiffusionFunctions.Diffusion.Tests.Schedulers;

/// <summary>
/// Full loops of diffusers' <c>tests/schedulers/test_scheduler_lcm.py</c>. The multistep loop re-noises between steps with
/// noise from <c>torch.manual_seed(0)</c>, reproduced by <see cref="TorchGenerator"/>(0).
/// </summary>
public sealed class LcmSchedulerTests
{
    private static SchedulerConfig TestConfig => new()
    {
        NumTrainTimesteps = 1000,
        BetaStart = 0.00085,
        BetaEnd = 0.0120,
        BetaSchedule = BetaScheduleKind.ScaledLinear,
        PredictionType = PredictionType.Epsilon,
    };

    [Fact]
    public void Full_loop_onestep()
    {
        var sample = FullLoops.WithoutScaling(new LcmScheduler(TestConfig), 1, new TorchGenerator(0));

        ReferenceAssert.SumAndMean(sample, 18.7097, 1e-3, 0.0244, 1e-3);
    }

    [Fact]
    public void Full_loop_multistep()
    {
        var sample = FullLoops.WithoutScaling(new LcmScheduler(TestConfig), 10, new TorchGenerator(0));

        ReferenceAssert.SumAndMean(sample, 197.7616, 1e-3, 0.2575, 1e-3);
    }

    [Fact]
    public void Ten_steps_pick_every_fifth_distillation_timestep()
    {
        var scheduler = new LcmScheduler(TestConfig);
        scheduler.SetTimesteps(10);

        Assert.Equal([999f, 899f, 799f, 699f, 599f, 499f, 399f, 299f, 199f, 99f], scheduler.Timesteps);
    }

    [Fact]
    public void Strength_narrows_the_distillation_schedule()
    {
        var scheduler = new LcmScheduler(TestConfig);

        var start = scheduler.SetTimestepsForStrength(4, 0.5f);

        // 25 of the 50 distillation timesteps (19 … 499), four of them chosen from the top.
        Assert.Equal(0, start);
        Assert.Equal([499f, 379f, 259f, 139f], scheduler.Timesteps);
    }
}
