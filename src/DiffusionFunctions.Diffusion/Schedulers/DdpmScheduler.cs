using System.Collections.ObjectModel;
using DiffusionFunctions.Diffusion.Randomness;

namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>
/// Denoising Diffusion Probabilistic Models (Ho et al. 2020, eq. 6-7 and 15), after diffusers' <c>DDPMScheduler</c>: the
/// posterior mean μ̃_t(x_t, x̂_0) plus √Var · z for t &gt; 0. Stochastic: each step with t &gt; 0 draws one standard normal tensor
/// from the caller's <see cref="INoiseSource"/>. Epsilon, v_prediction and sample; clip_sample; fixed variances.
/// Before <see cref="SetTimesteps"/> it walks every training timestep.
/// </summary>
public sealed class DdpmScheduler : IScheduler, IOriginalSamplePredictor
{
    // Keys diffusers' class takes that this sampler does not implement: rejected unless they hold the default.
    private static readonly UnimplementedOption[] UnimplementedOptions =
    [
        UnimplementedOption.Flag("thresholding"),
        UnimplementedOption.Number("dynamic_thresholding_ratio", 0.995),
        UnimplementedOption.Number("sample_max_value", 1.0),
        UnimplementedOption.AnyValue("variance_type", "fixed_small, fixed_small_log, fixed_large or fixed_large_log")
    ];

    private readonly float[] _alphasCumprod;
    private float[]? _noise;
    private int? _numInferenceSteps;
    private ReadOnlyCollection<float> _timesteps;

    /// <summary>Creates the sampler from a <c>scheduler_config.json</c>.</summary>
    /// <exception cref="SchedulerConfigException">The configuration holds a value this sampler does not support.</exception>
    public DdpmScheduler(SchedulerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        UnimplementedOption.RejectNonDefault(config, "ddpm", UnimplementedOptions);
        if (config.VarianceType == VarianceType.FixedLargeLog)
        {
            throw new SchedulerConfigException("variance_type", "'fixed_large_log' is not supported by ddpm sampling (it yields a log-variance, not a scale)");
        }

        Config = config;
        _alphasCumprod = BetaSchedule.From(config, ZeroTerminalSnr.KeepZero).AlphasCumprod;
        _timesteps = Array.AsReadOnly(Enumerable.Range(0, config.NumTrainTimesteps).Reverse().Select(t => (float)t).ToArray());
    }

    /// <inheritdoc />
    public string Name => "ddpm";

    /// <inheritdoc />
    public SchedulerConfig Config { get; }

    /// <inheritdoc />
    public int Order => 1;

    /// <inheritdoc />
    public float InitNoiseSigma => 1.0f;

    /// <inheritdoc />
    public IReadOnlyList<float> Timesteps => _timesteps;

    /// <inheritdoc />
    public void SetTimesteps(int numInferenceSteps)
    {
        var timesteps = TimestepSpacing.Discrete(
            Config.TimestepSpacing ?? TimestepSpacingKind.Leading, Config.NumTrainTimesteps, numInferenceSteps, Config.StepsOffset);
        _timesteps = Array.AsReadOnly(timesteps.Select(t => (float)t).ToArray());
        _numInferenceSteps = numInferenceSteps;
    }

    /// <inheritdoc />
    public int SetTimestepsForStrength(int numInferenceSteps, float strength)
    {
        SetTimesteps(numInferenceSteps);
        return SchedulerMath.StrengthStartIndex(numInferenceSteps, strength, Order);
    }

    /// <inheritdoc />
    public void ScaleModelInput(ReadOnlySpan<float> sample, float timestep, Span<float> destination)
    {
        SchedulerMath.CheckLengths(sample.Length, destination.Length, nameof(destination));
        sample.CopyTo(destination);
    }

    /// <inheritdoc />
    public void Step(ReadOnlySpan<float> modelOutput, float timestep, ReadOnlySpan<float> sample, Span<float> prevSample, INoiseSource? noiseSource)
    {
        SchedulerMath.CheckLengths(sample.Length, modelOutput.Length, nameof(modelOutput));
        SchedulerMath.CheckLengths(sample.Length, prevSample.Length, nameof(prevSample));
        var t = SchedulerMath.DiscreteTimestep(timestep, Config.NumTrainTimesteps);
        var prevT = PreviousTimestep(t);

        // 1. alphas and betas
        var alphaProd = _alphasCumprod[t];
        var alphaProdPrev = prevT >= 0 ? _alphasCumprod[prevT] : 1.0f;
        var betaProd = 1.0f - alphaProd;
        var betaProdPrev = 1.0f - alphaProdPrev;
        var currentAlpha = alphaProd / alphaProdPrev;
        var currentBeta = 1.0f - currentAlpha;
        var sqrtAlpha = MathF.Sqrt(alphaProd);
        var sqrtBeta = MathF.Sqrt(betaProd);

        // 4. posterior mean coefficients (eq. 7)
        var originalCoeff = MathF.Sqrt(alphaProdPrev) * currentBeta / betaProd;
        var sampleCoeff = MathF.Sqrt(currentAlpha) * betaProdPrev / betaProd;
        var clip = Config.ClipSample ?? true;
        var range = (float)Config.ClipSampleRange;

        // 6. noise for t > 0, scaled by the standard deviation of the chosen variance
        var noiseScale = 0.0f;
        Span<float> noise = default;
        if (t > 0)
        {
            noise = SchedulerMath.Ensure(ref _noise, sample.Length);
            SchedulerMath.DrawNoise(noiseSource, noise, Name);
            noiseScale = NoiseScale(alphaProd, alphaProdPrev, currentBeta);
        }

        for (var i = 0; i < sample.Length; i++)
        {
            var x = sample[i];
            var m = modelOutput[i];

            // 2. x̂_0 (eq. 15); 3. clip
            var predOriginal = Config.PredictionType switch
            {
                PredictionType.Epsilon => (x - (sqrtBeta * m)) / sqrtAlpha,
                PredictionType.VPrediction => (sqrtAlpha * x) - (sqrtBeta * m),
                _ => m,
            };
            if (clip)
            {
                predOriginal = Math.Clamp(predOriginal, -range, range);
            }

            // 5. μ̃_t
            var prev = (originalCoeff * predOriginal) + (sampleCoeff * x);
            if (t > 0)
            {
                prev += noiseScale * noise[i];
            }

            prevSample[i] = prev;
        }
    }

    /// <inheritdoc />
    public void PredictOriginalSample(ReadOnlySpan<float> modelOutput, float timestep, ReadOnlySpan<float> sample, Span<float> destination) =>
        OriginalSamplePrediction.FromAlphaProduct(
            Config.PredictionType,
            _alphasCumprod[SchedulerMath.DiscreteTimestep(timestep, Config.NumTrainTimesteps)],
            Config.ClipSample ?? true ? (float)Config.ClipSampleRange : null,
            modelOutput,
            sample,
            destination);

    /// <inheritdoc />
    public void AddNoise(ReadOnlySpan<float> originalSamples, ReadOnlySpan<float> noise, float timestep, Span<float> destination) =>
        AlphaProductNoising.AddNoise(
            _alphasCumprod[SchedulerMath.DiscreteTimestep(timestep, Config.NumTrainTimesteps)], originalSamples, noise, destination);

    private int PreviousTimestep(int t)
    {
        if (_numInferenceSteps is null)
        {
            return t - 1;
        }

        for (var i = 0; i < _timesteps.Count; i++)
        {
            if (_timesteps[i] == t)
            {
                return i == _timesteps.Count - 1 ? -1 : (int)_timesteps[i + 1];
            }
        }

        throw new ArgumentOutOfRangeException(nameof(t), t, "The timestep is not in the schedule; pass a value from Timesteps.");
    }

    // The factor multiplying z: √β̃_t for fixed_small (clamped away from 0), exp(½ log β̃_t) for fixed_small_log, √β_t for
    // fixed_large, as diffusers' _get_variance and step combine them.
    private float NoiseScale(float alphaProd, float alphaProdPrev, float currentBeta)
    {
        var variance = (1.0f - alphaProdPrev) / (1.0f - alphaProd) * currentBeta;
        variance = MathF.Max(variance, 1e-20f);
        return Config.VarianceType switch
        {
            VarianceType.FixedSmall => MathF.Sqrt(variance),
            VarianceType.FixedSmallLog => MathF.Exp(0.5f * MathF.Log(variance)),
            _ => MathF.Sqrt(currentBeta),
        };
    }
}
