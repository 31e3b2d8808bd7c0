namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>
/// The training noise schedule shared by every sampler: betas from <c>beta_schedule</c> (or <c>trained_betas</c>), the
/// optional zero-terminal-SNR rescale, and the float32 cumulative alpha products.
/// </summary>
/// <remarks>Follows diffusers' scheduler constructors and <c>betas_for_alpha_bar</c> / <c>rescale_zero_terminal_snr</c>
/// (<c>src/diffusers/schedulers/scheduling_ddpm.py</c>); the cosine schedule is Nichol and Dhariwal 2021, eq. 17; the rescale
/// is Lin et al. 2023, algorithm 1.</remarks>
internal sealed class BetaSchedule
{
    private const double DefaultBetaStart = 0.0001;
    private const double DefaultBetaEnd = 0.02;
    private const double MaxCosineBeta = 0.999;

    private BetaSchedule(float[] betas, float[] alphasCumprod)
    {
        Betas = betas;
        AlphasCumprod = alphasCumprod;
    }

    /// <summary>β_t for t = 0 … num_train_timesteps - 1 (float32).</summary>
    public float[] Betas { get; }

    /// <summary>ᾱ_t = Π (1 - β_s), s ≤ t (float32, as <c>torch.cumprod</c> rounds it).</summary>
    public float[] AlphasCumprod { get; }

    /// <summary>Builds the schedule with diffusers' usual defaults (linear, 0.0001 to 0.02).</summary>
    public static BetaSchedule From(SchedulerConfig config, ZeroTerminalSnr zeroTerminalSnr) =>
        From(config, zeroTerminalSnr, DefaultBetaStart, DefaultBetaEnd, BetaScheduleKind.Linear);

    /// <summary>Builds the schedule; the defaults apply to keys the configuration leaves unset.</summary>
    public static BetaSchedule From(
        SchedulerConfig config, ZeroTerminalSnr zeroTerminalSnr, double defaultStart, double defaultEnd, BetaScheduleKind defaultKind)
    {
        ArgumentNullException.ThrowIfNull(config);
        var n = config.NumTrainTimesteps;
        float[] betas;
        if (config.TrainedBetas is { } trained)
        {
            betas = trained.Select(b => (float)b).ToArray();
        }
        else
        {
            var start = config.BetaStart ?? defaultStart;
            var end = config.BetaEnd ?? defaultEnd;
            betas = (config.BetaSchedule ?? defaultKind) switch
            {
                BetaScheduleKind.Linear => TorchFloat32.Linspace((float)start, (float)end, n),
                BetaScheduleKind.ScaledLinear => ScaledLinear(start, end, n),
                BetaScheduleKind.SquaredCosCapV2 => Cosine(n),
                var other => throw new SchedulerConfigException("beta_schedule", $"unsupported value {other}"),
            };
        }

        var rescale = config.RescaleBetasZeroSnr && zeroTerminalSnr != ZeroTerminalSnr.NotTaken;
        if (rescale)
        {
            betas = RescaleZeroTerminalSnr(betas);
        }

        var alphas = new float[n];
        for (var i = 0; i < n; i++)
        {
            alphas[i] = 1.0f - betas[i];
        }

        var alphasCumprod = TorchFloat32.CumulativeProduct(alphas);
        if (rescale && zeroTerminalSnr == ZeroTerminalSnr.SmallestFp16Subnormal)
        {
            // Close to 0 without being 0, so the first sigma stays finite (diffusers uses fp16's smallest subnormal).
            alphasCumprod[^1] = 1.0f / (1 << 24);
        }

        return new BetaSchedule(betas, alphasCumprod);
    }

    // torch.linspace(beta_start**0.5, beta_end**0.5, n, dtype=float32) ** 2
    private static float[] ScaledLinear(double start, double end, int n)
    {
        var roots = TorchFloat32.Linspace((float)Math.Sqrt(start), (float)Math.Sqrt(end), n);
        for (var i = 0; i < n; i++)
        {
            roots[i] *= roots[i];
        }

        return roots;
    }

    // betas_for_alpha_bar(n, max_beta=0.999, "cosine"): computed in double, stored as float32.
    private static float[] Cosine(int n)
    {
        static double AlphaBar(double t)
        {
            var c = Math.Cos((t + 0.008) / 1.008 * Math.PI / 2);
            return c * c;
        }

        var betas = new float[n];
        for (var i = 0; i < n; i++)
        {
            var t1 = (double)i / n;
            var t2 = (double)(i + 1) / n;
            betas[i] = (float)Math.Min(1 - (AlphaBar(t2) / AlphaBar(t1)), MaxCosineBeta);
        }

        return betas;
    }

    private static float[] RescaleZeroTerminalSnr(float[] betas)
    {
        var n = betas.Length;
        var alphas = new float[n];
        for (var i = 0; i < n; i++)
        {
            alphas[i] = 1.0f - betas[i];
        }

        var sqrtBar = TorchFloat32.CumulativeProduct(alphas);
        for (var i = 0; i < n; i++)
        {
            sqrtBar[i] = MathF.Sqrt(sqrtBar[i]);
        }

        var first = sqrtBar[0];
        var last = sqrtBar[^1];
        var scale = first / (first - last);
        for (var i = 0; i < n; i++)
        {
            sqrtBar[i] = (sqrtBar[i] - last) * scale;
        }

        var rescaled = new float[n];
        var previousBar = sqrtBar[0] * sqrtBar[0];
        rescaled[0] = 1.0f - previousBar;
        for (var i = 1; i < n; i++)
        {
            var bar = sqrtBar[i] * sqrtBar[i];
            rescaled[i] = 1.0f - (bar / previousBar);
            previousBar = bar;
        }

        return rescaled;
    }
}

/// <summary>
/// How a sampler treats <c>rescale_betas_zero_snr</c>, as its diffusers class does: the sigma samplers (Euler, Euler
/// Ancestral, DPM-Solver) lift the last alpha product from 0 to 2^-24 so the first σ stays finite; DDIM, DDPM and LCM keep
/// it 0; LMS and PNDM do not take the option at all, so a shared config that sets it leaves their schedule alone.
/// </summary>
internal enum ZeroTerminalSnr
{
    /// <summary>The diffusers class has no <c>rescale_betas_zero_snr</c> argument (LMS, PNDM): the key is ignored.</summary>
    NotTaken,

    /// <summary>Rescale; the last alpha product stays exactly 0 (DDIM, DDPM, LCM).</summary>
    KeepZero,

    /// <summary>Rescale, then set the last alpha product to 2^-24 (Euler, Euler Ancestral, DPM-Solver).</summary>
    SmallestFp16Subnormal,
}
