using System.Collections.ObjectModel;
using DiffusionFunctions.Diffusion.Randomness;

namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>
/// Latent Consistency Model multistep sampling (Luo et al. 2023, algorithm 3), after diffusers' <c>LCMScheduler</c>: each
/// step maps x_t to the consistency-function estimate c_skip x_t + c_out x̂_0 (the "denoised" sample), then re-noises it to
/// the next timestep with fresh noise, except on the last step. Timesteps are drawn from the distillation schedule of
/// <c>original_inference_steps</c>. Stochastic for more than one step. Epsilon, v_prediction and sample; clip_sample.
/// </summary>
public sealed class LcmScheduler : IScheduler, IOriginalSamplePredictor
{
    private const float SigmaData = 0.5f;
    private const double DefaultBetaStart = 0.00085;
    private const double DefaultBetaEnd = 0.012;

    // Keys diffusers' class takes that this sampler does not implement: rejected unless they hold the default.
    private static readonly UnimplementedOption[] UnimplementedOptions =
    [
        UnimplementedOption.Flag("thresholding"),
        UnimplementedOption.Number("dynamic_thresholding_ratio", 0.995),
        UnimplementedOption.Number("sample_max_value", 1.0)
    ];

    private readonly float[] _alphasCumprod;
    private readonly float _finalAlphaCumprod;
    private readonly StepIndexCounter _counter = new();
    private float[]? _noise;
    private float[]? _denoised;
    private int? _numInferenceSteps;
    private ReadOnlyCollection<float> _timesteps;

    /// <summary>Creates the sampler from a <c>scheduler_config.json</c> (beta defaults: scaled_linear, 0.00085 to 0.012).</summary>
    /// <exception cref="SchedulerConfigException">The configuration holds a value this sampler does not support.</exception>
    public LcmScheduler(SchedulerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        UnimplementedOption.RejectNonDefault(config, "lcm", UnimplementedOptions);
        if (config.OriginalInferenceSteps < 1 || config.OriginalInferenceSteps > config.NumTrainTimesteps)
        {
            throw new SchedulerConfigException(
                "original_inference_steps", $"must lie in [1, num_train_timesteps = {config.NumTrainTimesteps}], got {config.OriginalInferenceSteps}");
        }

        Config = config;
        _alphasCumprod = BetaSchedule.From(config, ZeroTerminalSnr.KeepZero, DefaultBetaStart, DefaultBetaEnd, BetaScheduleKind.ScaledLinear).AlphasCumprod;
        _finalAlphaCumprod = config.SetAlphaToOne ?? true ? 1.0f : _alphasCumprod[0];
        _timesteps = Array.AsReadOnly(Enumerable.Range(0, config.NumTrainTimesteps).Reverse().Select(t => (float)t).ToArray());
    }

    /// <inheritdoc />
    public string Name => "lcm";

    /// <inheritdoc />
    public SchedulerConfig Config { get; }

    /// <inheritdoc />
    public int Order => 1;

    /// <inheritdoc />
    public float InitNoiseSigma => 1.0f;

    /// <inheritdoc />
    public IReadOnlyList<float> Timesteps => _timesteps;

    /// <summary>The consistency estimate x̂_0 of the last step (diffusers' <c>denoised</c>), or empty before the first step.</summary>
    public ReadOnlySpan<float> Denoised => _denoised;

    /// <inheritdoc />
    public void SetTimesteps(int numInferenceSteps) => SetTimesteps(numInferenceSteps, 1.0);

    /// <inheritdoc />
    /// <remarks>LCM's img2img takes the strength into the schedule itself (diffusers passes it to <c>set_timesteps</c>): the
    /// steps are chosen among the first <c>original_inference_steps × strength</c> distillation timesteps and the run
    /// starts at index 0.</remarks>
    public int SetTimestepsForStrength(int numInferenceSteps, float strength)
    {
        if (!(strength > 0 && strength <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(strength), strength, "Strength must lie in (0, 1].");
        }

        SetTimesteps(numInferenceSteps, double.Parse(strength.ToString("R", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture));
        return 0;
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
        var index = _counter.Current(_timesteps, timestep);

        // 1. previous timestep; 2. alphas and betas
        var prevT = index + 1 < _timesteps.Count ? (int)_timesteps[index + 1] : t;
        var alphaProdPrev = prevT >= 0 ? _alphasCumprod[prevT] : _finalAlphaCumprod;

        // 3-6. boundary-condition scalings, x̂_0, clip, denoised
        var denoised = SchedulerMath.Ensure(ref _denoised, sample.Length);
        Denoise(modelOutput, t, sample, denoised);

        // 7. re-noise to the next timestep, except after the last step
        if (index != steps - 1)
        {
            var noise = SchedulerMath.Ensure(ref _noise, sample.Length);
            SchedulerMath.DrawNoise(noiseSource, noise, Name);
            var signal = MathF.Sqrt(alphaProdPrev);
            var noiseScale = MathF.Sqrt(1.0f - alphaProdPrev);
            for (var i = 0; i < sample.Length; i++)
            {
                prevSample[i] = (signal * denoised[i]) + (noiseScale * noise[i]);
            }
        }
        else
        {
            denoised.CopyTo(prevSample);
        }

        _counter.Advance();
    }

    /// <inheritdoc />
    /// <remarks>For LCM this is the consistency estimate <c>denoised</c> = c_skip x_t + c_out x̂_0, which the last step returns.</remarks>
    public void PredictOriginalSample(ReadOnlySpan<float> modelOutput, float timestep, ReadOnlySpan<float> sample, Span<float> destination)
    {
        SchedulerMath.CheckLengths(sample.Length, modelOutput.Length, nameof(modelOutput));
        SchedulerMath.CheckLengths(sample.Length, destination.Length, nameof(destination));
        Denoise(modelOutput, SchedulerMath.DiscreteTimestep(timestep, Config.NumTrainTimesteps), sample, destination);
    }

    /// <inheritdoc />
    public void AddNoise(ReadOnlySpan<float> originalSamples, ReadOnlySpan<float> noise, float timestep, Span<float> destination) =>
        AlphaProductNoising.AddNoise(
            _alphasCumprod[SchedulerMath.DiscreteTimestep(timestep, Config.NumTrainTimesteps)], originalSamples, noise, destination);

    // c_skip x_t + c_out x̂_0 with the boundary-condition scalings at the scaled timestep (sigma_data = 0.5).
    private void Denoise(ReadOnlySpan<float> modelOutput, int t, ReadOnlySpan<float> sample, Span<float> denoised)
    {
        var alphaProd = _alphasCumprod[t];
        var sqrtAlpha = MathF.Sqrt(alphaProd);
        var sqrtBeta = MathF.Sqrt(1.0f - alphaProd);
        var scaled = t * (float)Config.TimestepScaling;
        var cSkip = SigmaData * SigmaData / ((scaled * scaled) + (SigmaData * SigmaData));
        var cOut = scaled / MathF.Sqrt((scaled * scaled) + (SigmaData * SigmaData));
        var clip = Config.ClipSample ?? false;
        var range = (float)Config.ClipSampleRange;
        for (var i = 0; i < sample.Length; i++)
        {
            var x = sample[i];
            var m = modelOutput[i];
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

            denoised[i] = (cOut * predOriginal) + (cSkip * x);
        }
    }

    // The distillation schedule has timesteps k - 1, 2k - 1, … (k = T / original_inference_steps); the run takes
    // numInferenceSteps of them, evenly spaced by index from the top (floor of np.linspace(0, L, n, endpoint=False)).
    private void SetTimesteps(int numInferenceSteps, double strength)
    {
        var original = Config.OriginalInferenceSteps;
        var k = Config.NumTrainTimesteps / original;
        var originCount = (int)(original * strength);
        if (numInferenceSteps < 1 || numInferenceSteps > original)
        {
            throw new ArgumentOutOfRangeException(
                nameof(numInferenceSteps), numInferenceSteps, $"LCM takes 1 to original_inference_steps = {original} steps.");
        }

        if (originCount / numInferenceSteps < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(numInferenceSteps), numInferenceSteps, $"LCM with strength {strength} has only {originCount} distillation timesteps to choose {numInferenceSteps} from.");
        }

        var indices = TimestepSpacing.NumpyLinspace(0, originCount, numInferenceSteps, endpoint: false);
        var timesteps = new float[numInferenceSteps];
        for (var i = 0; i < numInferenceSteps; i++)
        {
            var position = (int)Math.Floor(indices[i]);
            timesteps[i] = ((originCount - position) * k) - 1;
        }

        _timesteps = Array.AsReadOnly(timesteps);
        _numInferenceSteps = numInferenceSteps;
        _counter.Reset();
    }
}
