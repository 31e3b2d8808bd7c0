using System.Collections.ObjectModel;
using DiffusionFunctions.Diffusion.Randomness;

namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>
/// Denoising Diffusion Implicit Models (Song et al. 2020, eq. 12 and 16), after diffusers' <c>DDIMScheduler</c>:
/// x_{t-δ} = √ᾱ_{t-δ} x̂_0 + √(1 - ᾱ_{t-δ} - σ_t²) ε̂ + σ_t z. Deterministic for <see cref="Eta"/> = 0 (the default);
/// with η &gt; 0 it draws z from the caller's noise source. Supports epsilon, v_prediction and sample, clip_sample,
/// set_alpha_to_one and every timestep spacing.
/// </summary>
public sealed class DdimScheduler : IScheduler, IOriginalSamplePredictor
{
    // Keys diffusers' class takes that this sampler does not implement: rejected unless they hold the default.
    private static readonly UnimplementedOption[] UnimplementedOptions =
    [
        UnimplementedOption.Flag("thresholding"),
        UnimplementedOption.Number("dynamic_thresholding_ratio", 0.995),
        UnimplementedOption.Number("sample_max_value", 1.0)
    ];

    private readonly float[] _alphasCumprod;
    private readonly float _finalAlphaCumprod;
    private float[]? _noise;
    private int? _numInferenceSteps;
    private ReadOnlyCollection<float> _timesteps;

    /// <summary>Creates the sampler from a <c>scheduler_config.json</c>.</summary>
    /// <exception cref="SchedulerConfigException">The configuration holds a value this sampler does not support.</exception>
    public DdimScheduler(SchedulerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        UnimplementedOption.RejectNonDefault(config, "ddim", UnimplementedOptions);
        Config = config;
        _alphasCumprod = BetaSchedule.From(config, ZeroTerminalSnr.KeepZero).AlphasCumprod;
        _finalAlphaCumprod = config.SetAlphaToOne ?? true ? 1.0f : _alphasCumprod[0];
        _timesteps = Array.AsReadOnly(Enumerable.Range(0, config.NumTrainTimesteps).Reverse().Select(t => (float)t).ToArray());
    }

    /// <inheritdoc />
    public string Name => "ddim";

    /// <inheritdoc />
    public SchedulerConfig Config { get; }

    /// <inheritdoc />
    public int Order => 1;

    /// <inheritdoc />
    public float InitNoiseSigma => 1.0f;

    /// <inheritdoc />
    public IReadOnlyList<float> Timesteps => _timesteps;

    /// <summary>η of DDIM's eq. 16: 0 gives the deterministic sampler, 1 the DDPM-like stochastic one.</summary>
    public float Eta { get; init; }

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
        var steps = _numInferenceSteps ?? throw new InvalidOperationException("Call SetTimesteps before Step.");
        var t = SchedulerMath.DiscreteTimestep(timestep, Config.NumTrainTimesteps);

        // 1. previous step value; 2. alphas and betas
        var prevT = t - (Config.NumTrainTimesteps / steps);
        var alphaProd = _alphasCumprod[t];
        var alphaProdPrev = prevT >= 0 ? _alphasCumprod[prevT] : _finalAlphaCumprod;
        var betaProd = 1.0f - alphaProd;
        var sqrtAlpha = MathF.Sqrt(alphaProd);
        var sqrtBeta = MathF.Sqrt(betaProd);

        // 5. σ_t(η) of eq. 16
        var variance = betaProd == 0 ? 0 : ((1.0f - alphaProdPrev) / betaProd) * (1.0f - (alphaProd / alphaProdPrev));
        var stdDev = Eta * MathF.Sqrt(variance);
        var directionScale = MathF.Sqrt(1.0f - alphaProdPrev - (stdDev * stdDev));
        var sqrtAlphaPrev = MathF.Sqrt(alphaProdPrev);
        var clip = Config.ClipSample ?? true;
        var range = (float)Config.ClipSampleRange;

        Span<float> noise = default;
        if (Eta > 0)
        {
            noise = SchedulerMath.Ensure(ref _noise, sample.Length);
            SchedulerMath.DrawNoise(noiseSource, noise, Name);
        }

        for (var i = 0; i < sample.Length; i++)
        {
            var x = sample[i];
            var m = modelOutput[i];

            // 3. x̂_0 and ε̂ from the model output
            float predOriginal, predEpsilon;
            switch (Config.PredictionType)
            {
                case PredictionType.Epsilon:
                    predOriginal = (x - (sqrtBeta * m)) / sqrtAlpha;
                    predEpsilon = m;
                    break;
                case PredictionType.Sample:
                    predOriginal = m;
                    predEpsilon = (x - (sqrtAlpha * predOriginal)) / sqrtBeta;
                    break;
                default:
                    predOriginal = (sqrtAlpha * x) - (sqrtBeta * m);
                    predEpsilon = (sqrtAlpha * m) + (sqrtBeta * x);
                    break;
            }

            // 4. clip x̂_0
            if (clip)
            {
                predOriginal = Math.Clamp(predOriginal, -range, range);
            }

            // 6-7. direction pointing to x_t, then x_{t-δ}
            var prev = (sqrtAlphaPrev * predOriginal) + (directionScale * predEpsilon);
            if (Eta > 0)
            {
                prev += stdDev * noise[i];
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
}
