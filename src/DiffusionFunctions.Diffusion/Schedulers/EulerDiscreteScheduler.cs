using System.Collections.ObjectModel;
using DiffusionFunctions.Diffusion.Randomness;

namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>
/// Euler sampler (Karras et al. 2022, algorithm 2, without churn), after k-diffusion's <c>sample_euler</c> and diffusers'
/// <c>EulerDiscreteScheduler</c>: x_{i+1} = x_i + (x_i - x̂_0) / σ_i · (σ_{i+1} - σ_i). Deterministic.
/// Supports epsilon, v_prediction and sample; linear or log-linear σ interpolation; Karras sigmas; final σ zero or σ_min.
/// </summary>
public sealed class EulerDiscreteScheduler : IScheduler, IOriginalSamplePredictor
{
    // Keys diffusers' class takes that this sampler does not implement: rejected unless they hold the default.
    private static readonly UnimplementedOption[] UnimplementedOptions =
    [
        UnimplementedOption.Flag("use_exponential_sigmas"),
        UnimplementedOption.Flag("use_beta_sigmas"),
        UnimplementedOption.AnyValue("sigma_min"),
        UnimplementedOption.AnyValue("sigma_max"),
        UnimplementedOption.Text("timestep_type", "discrete")
    ];

    private readonly float[] _alphasCumprod;
    private readonly float[] _trainingSigmas;
    private readonly float[] _logSigmas;
    private readonly StepIndexCounter _counter = new();
    private SigmaSchedule _schedule;
    private ReadOnlyCollection<float> _timesteps;

    /// <summary>Creates the sampler from a <c>scheduler_config.json</c>.</summary>
    /// <exception cref="SchedulerConfigException">The configuration holds a value this sampler does not support.</exception>
    public EulerDiscreteScheduler(SchedulerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        UnimplementedOption.RejectNonDefault(config, "euler", UnimplementedOptions);
        Config = config;
        _alphasCumprod = BetaSchedule.From(config, ZeroTerminalSnr.SmallestFp16Subnormal).AlphasCumprod;
        _trainingSigmas = SigmaInterpolation.TrainingSigmas(_alphasCumprod);
        _logSigmas = SigmaInterpolation.LogSigmas(_trainingSigmas);
        _schedule = SigmaSchedule.Training(_trainingSigmas);
        _timesteps = Array.AsReadOnly(_schedule.Timesteps);
    }

    /// <inheritdoc />
    public string Name => "euler";

    /// <inheritdoc />
    public SchedulerConfig Config { get; }

    /// <inheritdoc />
    public int Order => 1;

    /// <inheritdoc />
    public float InitNoiseSigma => _schedule.InitNoiseSigma(Config.TimestepSpacing ?? TimestepSpacingKind.Linspace);

    /// <inheritdoc />
    public IReadOnlyList<float> Timesteps => _timesteps;

    /// <summary>σ for each timestep plus the final σ.</summary>
    public IReadOnlyList<float> Sigmas => _schedule.Sigmas;

    /// <inheritdoc />
    public void SetTimesteps(int numInferenceSteps)
    {
        _schedule = SigmaSchedule.Create(
            Config, _alphasCumprod, _trainingSigmas, _logSigmas, numInferenceSteps, Config.UseKarrasSigmas, Config.InterpolationType, Config.FinalSigmasType);
        _timesteps = Array.AsReadOnly(_schedule.Timesteps);
        _counter.Reset();
    }

    /// <inheritdoc />
    public int SetTimestepsForStrength(int numInferenceSteps, float strength)
    {
        SetTimesteps(numInferenceSteps);
        var start = SchedulerMath.StrengthStartIndex(numInferenceSteps, strength, Order);
        _counter.SetBeginIndex(start);
        return start;
    }

    /// <inheritdoc />
    public void ScaleModelInput(ReadOnlySpan<float> sample, float timestep, Span<float> destination)
    {
        SchedulerMath.CheckLengths(sample.Length, destination.Length, nameof(destination));
        var sigma = _schedule.Sigmas[_counter.Current(_timesteps, timestep)];
        var scale = MathF.Sqrt((sigma * sigma) + 1.0f);
        for (var i = 0; i < sample.Length; i++)
        {
            destination[i] = sample[i] / scale;
        }
    }

    /// <inheritdoc />
    public void Step(ReadOnlySpan<float> modelOutput, float timestep, ReadOnlySpan<float> sample, Span<float> prevSample, INoiseSource? noiseSource)
    {
        SchedulerMath.CheckLengths(sample.Length, modelOutput.Length, nameof(modelOutput));
        SchedulerMath.CheckLengths(sample.Length, prevSample.Length, nameof(prevSample));
        var index = _counter.Current(_timesteps, timestep);
        var sigma = _schedule.Sigmas[index];
        var dt = _schedule.Sigmas[index + 1] - sigma;
        switch (Config.PredictionType)
        {
            case PredictionType.Epsilon:
                for (var i = 0; i < sample.Length; i++)
                {
                    var x = sample[i];
                    var denoised = x - (sigma * modelOutput[i]);
                    prevSample[i] = x + ((x - denoised) / sigma * dt);
                }

                break;
            case PredictionType.VPrediction:
                var cOut = -sigma / MathF.Sqrt((sigma * sigma) + 1.0f);
                var cSkipDivisor = (sigma * sigma) + 1.0f;
                for (var i = 0; i < sample.Length; i++)
                {
                    var x = sample[i];
                    var denoised = (modelOutput[i] * cOut) + (x / cSkipDivisor);
                    prevSample[i] = x + ((x - denoised) / sigma * dt);
                }

                break;
            default:
                for (var i = 0; i < sample.Length; i++)
                {
                    var x = sample[i];
                    prevSample[i] = x + ((x - modelOutput[i]) / sigma * dt);
                }

                break;
        }

        _counter.Advance();
    }

    /// <inheritdoc />
    public void PredictOriginalSample(ReadOnlySpan<float> modelOutput, float timestep, ReadOnlySpan<float> sample, Span<float> destination) =>
        OriginalSamplePrediction.FromSigma(
            Config.PredictionType, _schedule.Sigmas[_counter.Current(_timesteps, timestep)], modelOutput, sample, destination);

    /// <inheritdoc />
    public void AddNoise(ReadOnlySpan<float> originalSamples, ReadOnlySpan<float> noise, float timestep, Span<float> destination)
    {
        SchedulerMath.CheckLengths(originalSamples.Length, noise.Length, nameof(noise));
        SchedulerMath.CheckLengths(originalSamples.Length, destination.Length, nameof(destination));
        var sigma = _schedule.Sigmas[_counter.IndexForNoise(_timesteps, timestep)];
        for (var i = 0; i < originalSamples.Length; i++)
        {
            destination[i] = originalSamples[i] + (noise[i] * sigma);
        }
    }
}
