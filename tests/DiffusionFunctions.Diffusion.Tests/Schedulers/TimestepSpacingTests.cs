using DiffusionFunctions.Diffusion.Schedulers;

namespace DiffusionFunctions.Diffusion.Tests.Schedulers;

/// <summary>
/// Timestep arrays per <c>timestep_spacing</c>: the three rows of Lin et al. 2023, table 2 (T = 1000, 10 steps), the
/// Stable Diffusion defaults, and the SDXL-Turbo trailing schedules, through the samplers that use them.
/// </summary>
public sealed class TimestepSpacingTests
{
    private static SchedulerConfig Sd => new()
    {
        BetaStart = 0.00085,
        BetaEnd = 0.012,
        BetaSchedule = BetaScheduleKind.ScaledLinear,
    };

    [Theory]
    [InlineData(TimestepSpacingKind.Linspace, 0, new float[] { 999, 888, 777, 666, 555, 444, 333, 222, 111, 0 })]
    [InlineData(TimestepSpacingKind.Leading, 0, new float[] { 900, 800, 700, 600, 500, 400, 300, 200, 100, 0 })]
    [InlineData(TimestepSpacingKind.Leading, 1, new float[] { 901, 801, 701, 601, 501, 401, 301, 201, 101, 1 })]
    [InlineData(TimestepSpacingKind.Trailing, 0, new float[] { 999, 899, 799, 699, 599, 499, 399, 299, 199, 99 })]
    public void Ddim_and_ddpm_follow_table_2(TimestepSpacingKind spacing, int offset, float[] expected)
    {
        foreach (var name in new[] { "ddim", "ddpm" })
        {
            var scheduler = SchedulerFactory.Create(name, Sd with { TimestepSpacing = spacing, StepsOffset = offset });
            scheduler.SetTimesteps(10);

            Assert.Equal(expected, scheduler.Timesteps);
        }
    }

    [Theory]
    [InlineData(TimestepSpacingKind.Leading, 1, new float[] { 901, 801, 701, 601, 501, 401, 301, 201, 101, 1 })]
    [InlineData(TimestepSpacingKind.Trailing, 0, new float[] { 999, 899, 799, 699, 599, 499, 399, 299, 199, 99 })]
    public void Sigma_samplers_use_whole_timesteps_for_leading_and_trailing(TimestepSpacingKind spacing, int offset, float[] expected)
    {
        foreach (var name in new[] { "euler", "euler-ancestral", "lms" })
        {
            var scheduler = SchedulerFactory.Create(name, Sd with { TimestepSpacing = spacing, StepsOffset = offset });
            scheduler.SetTimesteps(10);

            Assert.Equal(expected, scheduler.Timesteps);
        }
    }

    [Fact]
    public void Sigma_samplers_default_to_fractional_linspace()
    {
        var scheduler = SchedulerFactory.Create("euler", Sd);
        scheduler.SetTimesteps(4);

        // np.linspace(0, 999, 4)[::-1] = 999, 666, 333, 0
        Assert.Equal([999f, 666f, 333f, 0f], scheduler.Timesteps);
        scheduler.SetTimesteps(7);
        Assert.Equal(832.5f, scheduler.Timesteps[1]);
    }

    [Theory]
    [InlineData(1, new float[] { 999 })]
    [InlineData(4, new float[] { 999, 749, 499, 249 })]
    public void Sdxl_turbo_trailing_schedules(int steps, float[] expected)
    {
        var scheduler = SchedulerFactory.Create("euler-ancestral", Sd with { TimestepSpacing = TimestepSpacingKind.Trailing });
        scheduler.SetTimesteps(steps);

        Assert.Equal(expected, scheduler.Timesteps);
    }

    [Fact]
    public void Leading_sigma_samplers_scale_the_initial_noise_by_sqrt_of_sigma_max_squared_plus_one()
    {
        var linspace = (EulerDiscreteScheduler)SchedulerFactory.Create("euler", Sd);
        var leading = SchedulerFactory.Create("euler", Sd with { TimestepSpacing = TimestepSpacingKind.Leading, StepsOffset = 1 });
        linspace.SetTimesteps(50);
        leading.SetTimesteps(50);

        var maxSigma = linspace.Sigmas.Max();
        Assert.Equal(maxSigma, linspace.InitNoiseSigma);
        Assert.True(leading.InitNoiseSigma < MathF.Sqrt((maxSigma * maxSigma) + 1));
        Assert.True(leading.InitNoiseSigma > 1);
    }

    [Fact]
    public void Stable_diffusion_pndm_50_steps_starts_981_961_961_941()
    {
        var scheduler = SchedulerFactory.Create("pndm", Sd with { SkipPrkSteps = true, StepsOffset = 1, SetAlphaToOne = false });
        scheduler.SetTimesteps(50);

        Assert.Equal([981f, 961f, 961f, 941f], scheduler.Timesteps.Take(4));
    }

    [Fact]
    public void Stable_diffusion_ddim_50_steps_is_981_down_to_1()
    {
        var scheduler = SchedulerFactory.Create("ddim", Sd with { StepsOffset = 1, SetAlphaToOne = false, ClipSample = false });
        scheduler.SetTimesteps(50);

        Assert.Equal(Enumerable.Range(0, 50).Select(i => 981f - (20 * i)), scheduler.Timesteps);
    }

    [Fact]
    public void Zero_terminal_snr_rescale_pushes_the_first_sigma_to_4096()
    {
        // ᾱ_T is pinned to 2^-24, so σ_max = √((1 - 2^-24) / 2^-24) ≈ 4096 (Lin et al. 2023, with trailing spacing).
        var euler = (EulerDiscreteScheduler)SchedulerFactory.Create(
            "euler", Sd with { RescaleBetasZeroSnr = true, TimestepSpacing = TimestepSpacingKind.Trailing });
        euler.SetTimesteps(10);

        Assert.Equal(999f, euler.Timesteps[0]);
        Assert.InRange(euler.Sigmas[0], 4095.9f, 4096.0f);
        var ddim = SchedulerFactory.Create("ddim", Sd with { RescaleBetasZeroSnr = true, TimestepSpacing = TimestepSpacingKind.Trailing, PredictionType = PredictionType.VPrediction });
        var sample = FullLoops.WithoutScaling(ddim, 10, null);
        Assert.All(sample, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Dpm_solver_leading_uses_n_plus_one_intervals()
    {
        var scheduler = SchedulerFactory.Create("dpm++-2m", Sd with { TimestepSpacing = TimestepSpacingKind.Leading, StepsOffset = 1 });
        scheduler.SetTimesteps(10);

        // (arange(11) * (1000 // 11 = 90))[::-1][:-1] + 1
        Assert.Equal([901f, 811f, 721f, 631f, 541f, 451f, 361f, 271f, 181f, 91f], scheduler.Timesteps);
    }
}
