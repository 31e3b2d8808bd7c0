using DiffusionFunctions.Diffusion.Randomness;
using DiffusionFunctions.Diffusion.Schedulers;

namespace DiffusionFunctions.Diffusion.Tests.Schedulers;

/// <summary>
/// Issue 15's scheduler parity with diffusers: schedules and loops against <see cref="SchedulerParityGoldens"/>, values
/// computed from diffusers' formulas in its dtypes and order.
/// </summary>
public sealed class SchedulerParityTests
{
    public static TheoryData<string> ScheduleCases()
    {
        var data = new TheoryData<string>();
        foreach (var schedule in SchedulerParityGoldens.Schedules)
        {
            data.Add(schedule.ToString());
        }

        return data;
    }

    public static TheoryData<string> LoopCases()
    {
        var data = new TheoryData<string>();
        foreach (var loop in SchedulerParityGoldens.Loops)
        {
            data.Add(loop.ToString());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ScheduleCases))]
    public void Karras_and_lu_lambda_schedules_equal_diffusers_to_the_last_float32_bit(string name)
    {
        var golden = SchedulerParityGoldens.Schedules.Single(s => s.ToString() == name);
        IScheduler scheduler = golden.Sampler switch
        {
            "euler" => new EulerDiscreteScheduler(golden.Config),
            "lms" => new LmsDiscreteScheduler(golden.Config),
            _ => new DpmSolverMultistepScheduler(golden.Config),
        };

        scheduler.SetTimesteps(golden.Steps);

        Assert.Equal(golden.Timesteps, scheduler.Timesteps);
        var sigmas = scheduler switch
        {
            EulerDiscreteScheduler euler => euler.Sigmas,
            LmsDiscreteScheduler lms => lms.Sigmas,
            DpmSolverMultistepScheduler dpm => dpm.Sigmas,
            _ => throw new InvalidOperationException(),
        };
        Assert.Equal(golden.Sigmas, sigmas);
    }

    [Theory]
    [MemberData(nameof(LoopCases))]
    public void Dpm_solver_loops_match_diffusers(string name)
    {
        var golden = SchedulerParityGoldens.Loops.Single(l => l.ToString() == name);
        var scheduler = new DpmSolverMultistepScheduler(golden.Config);

        // The stochastic variants draw from torch.Generator().manual_seed(0), as the reference does.
        var sample = FullLoops.WithoutScaling(scheduler, golden.Steps, new TorchGenerator(0));

        Assert.Equal(golden.Timesteps, scheduler.Timesteps);
        AssertSample(golden, sample);
    }

    [Fact]
    public void Sde_dpm_solver_replays_noise_recorded_from_the_reference_through_the_noise_source()
    {
        var golden = SchedulerParityGoldens.Loops.First(l => l.Noise is not null);
        var recorded = new RecordedNoise(golden.Noise!);

        var sample = FullLoops.WithoutScaling(new DpmSolverMultistepScheduler(golden.Config), golden.Steps, recorded);

        Assert.Equal(golden.Steps, recorded.Draws);
        AssertSample(golden, sample);
    }

    [Fact]
    public void Dpm_solver_karras_on_the_cosine_schedule_truncates_timesteps_and_finishes_its_loop()
    {
        // Rounding made the schedule start 999, 999 and the loop ran past its last sigma (IndexOutOfRangeException).
        var scheduler = new DpmSolverMultistepScheduler(SchedulerConfig.Default with { BetaSchedule = BetaScheduleKind.SquaredCosCapV2, UseKarrasSigmas = true });

        var sample = FullLoops.WithoutScaling(scheduler, 10, null);

        Assert.Equal([999f, 998f, 998f, 998f, 997f, 995f, 983f, 894f, 259f, 0f], scheduler.Timesteps);
        Assert.All(sample, v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData("euler")]
    [InlineData("lms")]
    public void Karras_sigmas_on_the_cosine_schedule_end_at_timestep_zero_and_add_noise_takes_diffusers_timesteps(string name)
    {
        var config = SchedulerConfig.Default with { BetaSchedule = BetaScheduleKind.SquaredCosCapV2, UseKarrasSigmas = true };
        var scheduler = SchedulerFactory.Create(name, config);
        scheduler.SetTimesteps(10);
        var golden = SchedulerParityGoldens.Schedules.Single(s => s.Sampler == name && s.Steps == 10 && s.Config == config with { ClassName = null });
        var original = DiffusersDummies.SampleDeter();
        var noise = DiffusersDummies.NoiseDeter();
        var noised = new float[original.Length];

        Assert.Equal(0f, scheduler.Timesteps[^1]);
        foreach (var t in golden.Timesteps)
        {
            scheduler.AddNoise(original, noise, t, noised);
        }
    }

    [Fact]
    public void Ddim_with_zero_terminal_snr_keeps_the_last_alpha_product_at_zero()
    {
        // diffusers sets 2^-24 only in Euler, Euler Ancestral and DPM-Solver; in DDIM ᾱ_999 stays 0, so add_noise at 999 is
        // √ᾱ x + √(1 - ᾱ) ε = ε exactly (with 2^-24 it would add x / 4096).
        var scheduler = new DdimScheduler(SchedulerConfig.Default with { RescaleBetasZeroSnr = true, PredictionType = PredictionType.VPrediction });
        var original = DiffusersDummies.SampleDeter();
        var noise = DiffusersDummies.NoiseDeter();
        var noised = new float[original.Length];

        scheduler.AddNoise(original, noise, 999, noised);

        Assert.Equal(noise, noised);
    }

    [Theory]
    [InlineData("ddpm")]
    [InlineData("lcm")]
    public void Ddpm_and_lcm_with_zero_terminal_snr_keep_the_last_alpha_product_at_zero(string name)
    {
        var scheduler = SchedulerFactory.Create(name, SchedulerConfig.Default with { RescaleBetasZeroSnr = true });
        var original = DiffusersDummies.SampleDeter();
        var noise = DiffusersDummies.NoiseDeter();
        var noised = new float[original.Length];

        scheduler.AddNoise(original, noise, 999, noised);

        Assert.Equal(noise, noised);
    }

    [Theory]
    [InlineData("lms")]
    [InlineData("pndm")]
    public void Lms_and_pndm_ignore_zero_terminal_snr_as_their_diffusers_classes_do_not_take_it(string name)
    {
        var plain = SchedulerFactory.Create(name, SchedulerConfig.Default);
        var rescaled = SchedulerFactory.Create(name, SchedulerConfig.Default with { RescaleBetasZeroSnr = true });

        Assert.Equal(
            FullLoops.WithoutScaling(plain, 10, null),
            FullLoops.WithoutScaling(rescaled, 10, null));
    }

    private static void AssertSample(GoldenLoop golden, float[] sample)
    {
        ReferenceAssert.Near(golden.SumAbs, DiffusersDummies.SumAbs(sample), Math.Max(1e-3, golden.SumAbs * 1e-5), "result_sum");
        for (var i = 0; i < golden.Head.Length; i++)
        {
            ReferenceAssert.Near(golden.Head[i], sample[i], 1e-5, $"sample[{i}]");
        }
    }

    /// <summary>Replays noise tensors recorded from the reference, one per draw, as diffusers' tests pass <c>variance_noise</c>.</summary>
    private sealed class RecordedNoise(IReadOnlyList<float[]> draws) : INoiseSource
    {
        public int Draws { get; private set; }

        public void FillNormal(Span<float> destination)
        {
            var draw = draws[Draws++];
            Assert.Equal(draw.Length, destination.Length);
            draw.CopyTo(destination);
        }
    }
}
