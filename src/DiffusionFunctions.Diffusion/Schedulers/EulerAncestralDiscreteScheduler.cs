using System.Collections.ObjectModel;
using DiffusionFunctions.Diffusion.Randomness;

namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>
/// Euler Ancestral sampler, after k-diffusion's <c>sample_euler_ancestral</c> and diffusers'
/// <c>EulerAncestralDiscreteScheduler</c>: an Euler step to σ_down followed by fresh noise of scale σ_up, where
/// σ_up = √(σ_{i+1}² (σ_i² - σ_{i+1}²) / σ_i²) and σ_down = √(σ_{i+1}² - σ_up²). Stochastic: every step draws one standard
/// normal tensor of the sample's size from the caller's <see cref="INoiseSource"/>. Epsilon and v_prediction.
/// </summary>
public sealed class EulerAncestralDiscreteScheduler : IScheduler, IOriginalSamplePredictor
{
    private readonly float[] _alphasCumprod;
    private readonly float[] _trainingSigmas;
    private readonly float[] _logSigmas;
    private readonly StepIndexCounter _counter = new();
    private SigmaSchedule _schedule;
    private ReadOnlyCollection<float> _timesteps;
    private float[]? _noise;

    /// <summary>Creates the sampler from a <c>scheduler_config.json</c>.</summary>
    /// <exception cref="SchedulerConfigException">The configuration holds a value this sampler does not support.</exception>
    public EulerAncestralDiscreteScheduler(SchedulerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (config.PredictionType == PredictionType.Sample)
        {
            throw new SchedulerConfigException("prediction_type", "'sample' is not supported by euler-ancestral; expected epsilon or v_prediction");
        }

        Config = config;
        _alphasCumprod = BetaSchedule.From(config, ZeroTerminalSnr.SmallestFp16Subnormal).AlphasCumprod;
        _trainingSigmas = SigmaInterpolation.TrainingSigmas(_alphasCumprod);
        _logSigmas = SigmaInterpolation.LogSigmas(_trainingSigmas);
        _schedule = SigmaSchedule.Training(_trainingSigmas);
        _timesteps = Array.AsReadOnly(_schedule.Timesteps);
    }

    /// <inheritdoc />
    public string Name => "euler-ancestral";

    /// <inheritdoc />
    public SchedulerConfig Config { get; }

    /// <inheritdoc />
    public int Order => 1;

    /// <inheritdoc />
    public float InitNoiseSigma => _schedule.InitNoiseSigma(Config.TimestepSpacing ?? TimestepSpacingKind.Linspace);

    /// <inheritdoc />
    public IReadOnlyList<float> Timesteps => _timesteps;

    /// <summary>σ for each timestep plus the final σ (0).</summary>
    public IReadOnlyList<float> Sigmas => _schedule.Sigmas;

    /// <inheritdoc />
    public void SetTimesteps(int numInferenceSteps)
    {
        // diffusers' ancestral sampler has neither Karras sigmas nor log-linear interpolation, and always ends at σ = 0.
        _schedule = SigmaSchedule.Create(
            Config, _alphasCumprod, _trainingSigmas, _logSigmas, numInferenceSteps, useKarras: false, InterpolationType.Linear, FinalSigmasType.Zero);
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
        var noise = SchedulerMath.Ensure(ref _noise, sample.Length);
        var index = _counter.Current(_timesteps, timestep);
        var sigma = _schedule.Sigmas[index];
        var sigmaTo = _schedule.Sigmas[index + 1];
        var sigmaUp = MathF.Sqrt(sigmaTo * sigmaTo * ((sigma * sigma) - (sigmaTo * sigmaTo)) / (sigma * sigma));
        var sigmaDown = MathF.Sqrt((sigmaTo * sigmaTo) - (sigmaUp * sigmaUp));
        var dt = sigmaDown - sigma;

        // diffusers draws the noise after the deterministic part; the draw order within one step does not matter here.
        SchedulerMath.DrawNoise(noiseSource, noise, Name);
        var vPrediction = Config.PredictionType == PredictionType.VPrediction;
        var cOut = -sigma / MathF.Sqrt((sigma * sigma) + 1.0f);
        var cSkipDivisor = (sigma * sigma) + 1.0f;
        for (var i = 0; i < sample.Length; i++)
        {
            var x = sample[i];
            var denoised = vPrediction ? (modelOutput[i] * cOut) + (x / cSkipDivisor) : x - (sigma * modelOutput[i]);
            var prev = x + ((x - denoised) / sigma * dt);
            prevSample[i] = prev + (noise[i] * sigmaUp);
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
