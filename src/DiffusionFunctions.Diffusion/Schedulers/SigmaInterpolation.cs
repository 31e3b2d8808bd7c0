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

    /// <summary>
    /// <c>np.log</c> of the float32 training sigmas (a float32 result), correctly rounded: the double log rounded to float.
    /// NumPy's own float32 log is a SIMD approximation whose last bit differs for about one sigma in five, and MathF.Log
    /// (glibc's logf, under 1 ulp but not correctly rounded) differed from both; the goldens pin the correctly rounded value.
    /// </summary>
    public static float[] LogSigmas(ReadOnlySpan<float> trainingSigmas)
    {
        var logs = new float[trainingSigmas.Length];
        for (var i = 0; i < logs.Length; i++)
        {
            logs[i] = (float)Math.Log(trainingSigmas[i]);
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

    /// <summary>
    /// The fractional timestep whose log-σ interpolates to <paramref name="sigma"/> (<c>_sigma_to_t</c>), in diffusers'
    /// arithmetic: <c>np.log</c> of the float64 σ, then mixed with the float32 log-σ array, which NumPy 1.x's value-based
    /// casting does in float32 (the distances, the weight <c>w</c> and <c>1 - w</c>); only <c>(1 - w) * low + w * high</c>
    /// is float64 (a float32 array times an int64 index array). Computing all of it in double put Euler's and LMS's Karras
    /// timesteps 1-5 float32 steps off, and the last cosine timestep at 6.2e-7 instead of 0.
    /// </summary>
    public static double SigmaToTimestep(double sigma, ReadOnlySpan<float> logSigmas)
    {
        var logSigma = (float)Math.Log(Math.Max(sigma, 1e-10));

        // Last index whose float32 distance logSigma - logSigmas[i] is at least 0 (0 when none), clipped so that a higher
        // neighbour exists (np.cumsum(dists >= 0).argmax().clip(max=n - 2)).
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
        var w = Math.Clamp((logSigmas[low] - logSigma) / (logSigmas[low] - logSigmas[high]), 0.0f, 1.0f);
        return ((double)(1.0f - w) * low) + ((double)w * high);
    }
}
