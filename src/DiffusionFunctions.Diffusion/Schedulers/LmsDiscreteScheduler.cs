using System.Collections.ObjectModel;
using DiffusionFunctions.Diffusion.Randomness;

namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>
/// Linear multistep sampler (k-diffusion's <c>sample_lms</c>, diffusers' <c>LMSDiscreteScheduler</c>): the probability-flow
/// ODE in σ integrated with the Lagrange polynomial through the last (up to four) derivatives d = (x - x̂_0) / σ.
/// Deterministic; epsilon, v_prediction and sample; Karras sigmas.
/// </summary>
public sealed class LmsDiscreteScheduler : IScheduler, IOriginalSamplePredictor
{
    private const int MaxOrder = 4;

    // Four-point Gauss-Legendre nodes and weights on [-1, 1]: exact for the cubic Lagrange basis polynomials integrated here.
    private static readonly double[] GaussNodes = [-0.8611363115940526, -0.3399810435848563, 0.3399810435848563, 0.8611363115940526];
    private static readonly double[] GaussWeights = [0.3478548451374538, 0.6521451548625461, 0.6521451548625461, 0.3478548451374538];

    // Keys diffusers' class takes that this sampler does not implement: rejected unless they hold the default.
    private static readonly UnimplementedOption[] UnimplementedOptions =
    [
        UnimplementedOption.Flag("use_exponential_sigmas"),
        UnimplementedOption.Flag("use_beta_sigmas")
    ];

    private readonly float[] _alphasCumprod;
    private readonly float[] _trainingSigmas;
    private readonly float[] _logSigmas;
    private readonly StepIndexCounter _counter = new();
    private readonly float[]?[] _derivatives = new float[MaxOrder][];
    private readonly double[] _coefficients = new double[MaxOrder];
    private int _derivativeCount;
    private int _derivativeNext;
    private SigmaSchedule _schedule;
    private ReadOnlyCollection<float> _timesteps;

    /// <summary>Creates the sampler from a <c>scheduler_config.json</c>.</summary>
    /// <exception cref="SchedulerConfigException">The configuration holds a value this sampler does not support.</exception>
    public LmsDiscreteScheduler(SchedulerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        UnimplementedOption.RejectNonDefault(config, "lms", UnimplementedOptions);
        Config = config;
        _alphasCumprod = BetaSchedule.From(config, ZeroTerminalSnr.NotTaken).AlphasCumprod;
        _trainingSigmas = SigmaInterpolation.TrainingSigmas(_alphasCumprod);
        _logSigmas = SigmaInterpolation.LogSigmas(_trainingSigmas);
        _schedule = SigmaSchedule.Training(_trainingSigmas);
        _timesteps = Array.AsReadOnly(_schedule.Timesteps);
        SetTimesteps(config.NumTrainTimesteps);
    }

    /// <inheritdoc />
    public string Name => "lms";

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
        _schedule = SigmaSchedule.Create(
            Config, _alphasCumprod, _trainingSigmas, _logSigmas, numInferenceSteps, Config.UseKarrasSigmas, InterpolationType.Linear, FinalSigmasType.Zero);
        _timesteps = Array.AsReadOnly(_schedule.Timesteps);
        _counter.Reset();
        _derivativeCount = 0;
        _derivativeNext = 0;
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

        // 1-2. x̂_0 and the ODE derivative, kept in a ring of the last four.
        var derivative = SchedulerMath.Ensure(ref _derivatives[_derivativeNext], sample.Length);
        var cOut = -sigma / MathF.Sqrt((sigma * sigma) + 1.0f);
        var cSkipDivisor = (sigma * sigma) + 1.0f;
        for (var i = 0; i < sample.Length; i++)
        {
            var x = sample[i];
            var denoised = Config.PredictionType switch
            {
                PredictionType.Epsilon => x - (sigma * modelOutput[i]),
                PredictionType.VPrediction => (modelOutput[i] * cOut) + (x / cSkipDivisor),
                _ => modelOutput[i],
            };
            derivative[i] = (x - denoised) / sigma;
        }

        _derivativeNext = (_derivativeNext + 1) % MaxOrder;
        _derivativeCount = Math.Min(_derivativeCount + 1, MaxOrder);

        // 3. coefficients; 4. x_{i+1} = x_i + Σ_j c_j d_{i-j}, summed newest first as diffusers does.
        // As in diffusers, the polynomial order follows the step index while the sum pairs coefficients with the stored
        // derivatives only (zip), so a run that starts mid-schedule (img2img) uses fewer terms of a higher-order rule.
        var order = Math.Min(index + 1, MaxOrder);
        for (var j = 0; j < order; j++)
        {
            _coefficients[j] = LmsCoefficient(order, index, j);
        }

        var terms = Math.Min(order, _derivativeCount);
        var c0 = (float)_coefficients[0];
        var c1 = terms > 1 ? (float)_coefficients[1] : 0.0f;
        var c2 = terms > 2 ? (float)_coefficients[2] : 0.0f;
        var c3 = terms > 3 ? (float)_coefficients[3] : 0.0f;
        var d0 = Derivative(0);
        var d1 = terms > 1 ? Derivative(1) : d0;
        var d2 = terms > 2 ? Derivative(2) : d0;
        var d3 = terms > 3 ? Derivative(3) : d0;
        for (var i = 0; i < sample.Length; i++)
        {
            var sum = 0.0f + (c0 * d0[i]);
            if (terms > 1)
            {
                sum += c1 * d1[i];
                if (terms > 2)
                {
                    sum += c2 * d2[i];
                    if (terms > 3)
                    {
                        sum += c3 * d3[i];
                    }
                }
            }

            prevSample[i] = sample[i] + sum;
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

    // ∫_{σ_t}^{σ_{t+1}} Π_{k≠j} (τ - σ_{t-k}) / (σ_{t-j} - σ_{t-k}) dτ (diffusers' get_lms_coefficient, which uses scipy quad).
    private double LmsCoefficient(int order, int t, int currentOrder)
    {
        var sigmas = _schedule.Sigmas;
        double from = sigmas[t];
        double to = sigmas[t + 1];
        var half = (to - from) / 2;
        var middle = (to + from) / 2;
        var integral = 0.0;
        for (var g = 0; g < GaussNodes.Length; g++)
        {
            var tau = middle + (half * GaussNodes[g]);
            var product = 1.0;
            for (var k = 0; k < order; k++)
            {
                if (k == currentOrder)
                {
                    continue;
                }

                product *= (tau - sigmas[t - k]) / ((double)sigmas[t - currentOrder] - sigmas[t - k]);
            }

            integral += GaussWeights[g] * product;
        }

        return integral * half;
    }

    // Derivative(0) is the newest.
    private float[] Derivative(int back) => _derivatives[(_derivativeNext - 1 - back + (2 * MaxOrder)) % MaxOrder]!;
}
