namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>
/// Noise levels σ_t = √((1 - ᾱ_t) / ᾱ_t) of the training schedule, interpolated at (fractional) timesteps with
/// <c>np.interp</c>, and mapped back from σ to t (diffusers' <c>_sigma_to_t</c>, after k-diffusion).
/// </summary>
internal static class SigmaInterpolation
{
    /// <summary>σ for every training timestep, in float32 as torch computes <c>((1 - ᾱ) / ᾱ) ** 0.5</c>.</summary>
    public static float[] TrainingSigmas(ReadOnlySpan<float> alphasCumprod)
    {
        var sigmas = new float[alphasCumprod.Length];
        for (var i = 0; i < sigmas.Length; i++)
        {
            sigmas[i] = MathF.Sqrt((1.0f - alphasCumprod[i]) / alphasCumprod[i]);
        }

        return sigmas;
    }

    /// <summary><c>np.log</c> of the float32 training sigmas (a float32 result).</summary>
    public static float[] LogSigmas(ReadOnlySpan<float> trainingSigmas)
    {
        var logs = new float[trainingSigmas.Length];
        for (var i = 0; i < logs.Length; i++)
        {
            logs[i] = MathF.Log(trainingSigmas[i]);
        }

        return logs;
    }

    /// <summary><c>np.interp(t, arange(len(sigmas)), sigmas)</c> in double; exact at whole timesteps, clamped at the ends.</summary>
    public static double Interpolate(double timestep, ReadOnlySpan<float> trainingSigmas)
    {
        if (timestep <= 0)
        {
            return trainingSigmas[0];
        }

        var last = trainingSigmas.Length - 1;
        if (timestep >= last)
        {
            return trainingSigmas[last];
        }

        var j = (int)Math.Floor(timestep);
        if (j == timestep)
        {
            return trainingSigmas[j];
        }

        var slope = (double)trainingSigmas[j + 1] - trainingSigmas[j];
        return (slope * (timestep - j)) + trainingSigmas[j];
    }

    /// <summary>The fractional timestep whose log-σ interpolates to <paramref name="sigma"/> (<c>_sigma_to_t</c>).</summary>
    public static double SigmaToTimestep(double sigma, ReadOnlySpan<float> logSigmas)
    {
        var logSigma = Math.Log(Math.Max(sigma, 1e-10));

        // Last index whose log-sigma is at most logSigma (0 when none), clipped so that a higher neighbour exists.
        var low = 0;
        for (var i = 0; i < logSigmas.Length; i++)
        {
            if (logSigma - logSigmas[i] >= 0)
            {
                low = i;
            }
        }

        low = Math.Min(low, logSigmas.Length - 2);
        var high = low + 1;
        double lowLog = logSigmas[low];
        double highLog = logSigmas[high];
        var w = Math.Clamp((lowLog - logSigma) / (lowLog - highLog), 0.0, 1.0);
        return ((1 - w) * low) + (w * high);
    }
}
