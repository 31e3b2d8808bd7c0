namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>
/// The inference timesteps and sigmas of the k-diffusion style samplers (Euler, Euler Ancestral, LMS): spaced timesteps,
/// σ interpolated at each (linearly or log-linearly), optionally replaced by Karras sigmas, then the final σ appended.
/// </summary>
/// <remarks>Follows <c>set_timesteps</c> of diffusers' <c>scheduling_euler_discrete.py</c>; float64 where numpy computes,
/// rounded to float32 where diffusers converts.</remarks>
internal sealed class SigmaSchedule
{
    private SigmaSchedule(float[] timesteps, float[] sigmas)
    {
        Timesteps = timesteps;
        Sigmas = sigmas;
    }

    /// <summary>Inference timesteps, descending (float32).</summary>
    public float[] Timesteps { get; }

    /// <summary>One σ per timestep plus the final σ (float32).</summary>
    public float[] Sigmas { get; }

    /// <summary>Before <c>set_timesteps</c>: every training timestep, σ descending, then 0.</summary>
    public static SigmaSchedule Training(float[] trainingSigmas)
    {
        var n = trainingSigmas.Length;
        var timesteps = new float[n];
        var sigmas = new float[n + 1];
        for (var i = 0; i < n; i++)
        {
            timesteps[i] = n - 1 - i;
            sigmas[i] = trainingSigmas[n - 1 - i];
        }

        return new SigmaSchedule(timesteps, sigmas);
    }

    /// <summary>The schedule for <paramref name="numInferenceSteps"/> steps.</summary>
    public static SigmaSchedule Create(
        SchedulerConfig config,
        float[] alphasCumprod,
        float[] trainingSigmas,
        float[] logSigmas,
        int numInferenceSteps,
        bool useKarras,
        InterpolationType interpolation,
        FinalSigmasType finalSigmas)
    {
        var spacing = config.TimestepSpacing ?? TimestepSpacingKind.Linspace;
        var timesteps = TimestepSpacing.Continuous(spacing, config.NumTrainTimesteps, numInferenceSteps, config.StepsOffset);

        double[] sigmas;
        if (interpolation == InterpolationType.LogLinear)
        {
            // torch.linspace(log σ_max, log σ_min, n + 1).exp(): one more sigma than steps, as diffusers has it.
            var logs = TorchFloat32.Linspace(MathF.Log(trainingSigmas[^1]), MathF.Log(trainingSigmas[0]), numInferenceSteps + 1);
            sigmas = logs.Select(l => (double)MathF.Exp(l)).ToArray();
        }
        else
        {
            sigmas = timesteps.Select(t => SigmaInterpolation.Interpolate(t, trainingSigmas)).ToArray();
        }

        var timestepValues = timesteps.Select(t => (double)t).ToArray();
        if (useKarras)
        {
            sigmas = KarrasSigmas.Create(sigmas[^1], sigmas[0], numInferenceSteps);
            timestepValues = sigmas.Select(s => SigmaInterpolation.SigmaToTimestep(s, logSigmas)).ToArray();
        }

        var last = finalSigmas == FinalSigmasType.SigmaMin
            ? MathF.Sqrt((1.0f - alphasCumprod[0]) / alphasCumprod[0])
            : 0.0f;
        var result = new float[sigmas.Length + 1];
        for (var i = 0; i < sigmas.Length; i++)
        {
            result[i] = (float)sigmas[i];
        }

        result[^1] = last;
        return new SigmaSchedule(timestepValues.Select(t => (float)t).ToArray(), result);
    }

    /// <summary>diffusers' <c>init_noise_sigma</c>: σ_max for linspace and trailing spacing, √(σ_max² + 1) for leading.</summary>
    public float InitNoiseSigma(TimestepSpacingKind spacing)
    {
        var max = Sigmas.Max();
        return spacing is TimestepSpacingKind.Linspace or TimestepSpacingKind.Trailing ? max : MathF.Sqrt((max * max) + 1.0f);
    }
}
