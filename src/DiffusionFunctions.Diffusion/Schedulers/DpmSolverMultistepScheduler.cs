using System.Collections.ObjectModel;
using DiffusionFunctions.Diffusion.Randomness;

namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>
/// DPM-Solver++ (2M), the multistep second-order solver for the data-prediction ODE (Lu et al. 2022,
/// "DPM-Solver++", algorithm 2), after diffusers' <c>DPMSolverMultistepScheduler</c> with <c>algorithm_type="dpmsolver++"</c>.
/// With <c>use_karras_sigmas</c> it is "DPM++ 2M Karras". Deterministic; epsilon, v_prediction and sample; midpoint or heun
/// second-order update; solver_order 1 or 2; lower_order_final and euler_at_final.
/// </summary>
public sealed class DpmSolverMultistepScheduler : IScheduler, IOriginalSamplePredictor
{
    private readonly float[] _alphasCumprod;
    private readonly float[] _trainingSigmas;
    private readonly float[] _logSigmas;
    private readonly bool _heun;
    private readonly StepIndexCounter _counter = new();
    private float[] _sigmas;
    private ReadOnlyCollection<float> _timesteps;
    private float[]? _current;
    private float[]? _previous;
    private int _lowerOrderNums;
    private bool _timestepsSet;

    /// <summary>Creates the sampler from a <c>scheduler_config.json</c>.</summary>
    /// <exception cref="SchedulerConfigException">The configuration holds a value this sampler does not support.</exception>
    public DpmSolverMultistepScheduler(SchedulerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (!string.Equals(config.AlgorithmType, "dpmsolver++", StringComparison.Ordinal))
        {
            throw new SchedulerConfigException("algorithm_type", $"'{config.AlgorithmType}' is not supported; expected dpmsolver++");
        }

        _heun = config.SolverType switch
        {
            "midpoint" or "logrho" or "bh1" or "bh2" => false,
            "heun" => true,
            _ => throw new SchedulerConfigException("solver_type", $"'{config.SolverType}' is not supported; expected midpoint or heun"),
        };
        Config = config;
        _alphasCumprod = BetaSchedule.From(config).AlphasCumprod;
        _trainingSigmas = SigmaInterpolation.TrainingSigmas(_alphasCumprod);
        _logSigmas = SigmaInterpolation.LogSigmas(_trainingSigmas);
        _sigmas = _trainingSigmas;
        _timesteps = Array.AsReadOnly(Enumerable.Range(0, config.NumTrainTimesteps).Reverse().Select(t => (float)t).ToArray());
    }

    /// <inheritdoc />
    public string Name => Config.UseKarrasSigmas ? "dpm++-2m-karras" : "dpm++-2m";

    /// <inheritdoc />
    public SchedulerConfig Config { get; }

    /// <inheritdoc />
    public int Order => 1;

    /// <inheritdoc />
    public float InitNoiseSigma => 1.0f;

    /// <inheritdoc />
    public IReadOnlyList<float> Timesteps => _timesteps;

    /// <summary>σ for each timestep plus the final σ.</summary>
    public IReadOnlyList<float> Sigmas => _sigmas;

    /// <inheritdoc />
    public void SetTimesteps(int numInferenceSteps)
    {
        var n = Config.NumTrainTimesteps;
        var timesteps = TimestepSpacing.DpmSolver(Config.TimestepSpacing ?? TimestepSpacingKind.Linspace, n, numInferenceSteps, Config.StepsOffset);
        double[] sigmas;
        if (Config.UseKarrasSigmas)
        {
            // Karras sigmas over the whole training range, mapped back to (rounded) timesteps.
            sigmas = KarrasSigmas.Create(_trainingSigmas[0], _trainingSigmas[^1], numInferenceSteps);
            timesteps = sigmas
                .Select(s => (long)Math.Round(SigmaInterpolation.SigmaToTimestep(s, _logSigmas), MidpointRounding.ToEven))
                .ToArray();
        }
        else
        {
            sigmas = timesteps.Select(t => SigmaInterpolation.Interpolate(t, _trainingSigmas)).ToArray();
        }

        var last = Config.FinalSigmasType == FinalSigmasType.SigmaMin
            ? MathF.Sqrt((1.0f - _alphasCumprod[0]) / _alphasCumprod[0])
            : 0.0f;
        _sigmas = new float[sigmas.Length + 1];
        for (var i = 0; i < sigmas.Length; i++)
        {
            _sigmas[i] = (float)sigmas[i];
        }

        _sigmas[^1] = last;
        _timesteps = Array.AsReadOnly(timesteps.Select(t => (float)t).ToArray());
        _lowerOrderNums = 0;
        _counter.Reset();
        _timestepsSet = true;
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
        sample.CopyTo(destination);
    }

    /// <inheritdoc />
    public void Step(ReadOnlySpan<float> modelOutput, float timestep, ReadOnlySpan<float> sample, Span<float> prevSample, TorchGenerator? generator)
    {
        SchedulerMath.CheckLengths(sample.Length, modelOutput.Length, nameof(modelOutput));
        SchedulerMath.CheckLengths(sample.Length, prevSample.Length, nameof(prevSample));
        if (!_timestepsSet)
        {
            throw new InvalidOperationException("Call SetTimesteps before Step.");
        }

        var index = _counter.Current(_timesteps, timestep);
        var count = _timesteps.Count;
        var lowerOrderFinal = index == count - 1
            && (Config.EulerAtFinal || (Config.LowerOrderFinal && count < 15) || Config.FinalSigmasType == FinalSigmasType.Zero);
        var lowerOrderSecond = index == count - 2 && Config.LowerOrderFinal && count < 15;

        // Keep the last two data predictions: the older buffer is reused for the new one.
        (_previous, _current) = (_current, _previous);
        var x0 = SchedulerMath.Ensure(ref _current, sample.Length);
        ConvertModelOutput(modelOutput, sample, _sigmas[index], x0);

        if (Config.SolverOrder == 1 || _lowerOrderNums < 1 || lowerOrderFinal)
        {
            FirstOrderUpdate(index, sample, x0, prevSample);
        }
        else
        {
            SecondOrderUpdate(index, sample, x0, _previous!, prevSample);
        }

        if (_lowerOrderNums < Config.SolverOrder)
        {
            _lowerOrderNums++;
        }

        _counter.Advance();
    }

    /// <inheritdoc />
    public void PredictOriginalSample(ReadOnlySpan<float> modelOutput, float timestep, ReadOnlySpan<float> sample, Span<float> destination)
    {
        SchedulerMath.CheckLengths(sample.Length, modelOutput.Length, nameof(modelOutput));
        SchedulerMath.CheckLengths(sample.Length, destination.Length, nameof(destination));
        ConvertModelOutput(modelOutput, sample, _sigmas[_counter.Current(_timesteps, timestep)], destination);
    }

    /// <inheritdoc />
    public void AddNoise(ReadOnlySpan<float> originalSamples, ReadOnlySpan<float> noise, float timestep, Span<float> destination)
    {
        SchedulerMath.CheckLengths(originalSamples.Length, noise.Length, nameof(noise));
        SchedulerMath.CheckLengths(originalSamples.Length, destination.Length, nameof(destination));
        var (alpha, sigma) = AlphaSigma(_sigmas[_counter.IndexForNoise(_timesteps, timestep)]);
        for (var i = 0; i < originalSamples.Length; i++)
        {
            destination[i] = (alpha * originalSamples[i]) + (sigma * noise[i]);
        }
    }

    // α_t = 1 / √(σ² + 1), σ_t = σ α_t: the VP coefficients of a VE sigma.
    private static (float Alpha, float Sigma) AlphaSigma(float sigma)
    {
        var alpha = 1.0f / MathF.Sqrt((sigma * sigma) + 1.0f);
        return (alpha, sigma * alpha);
    }

    private static float Lambda(float alpha, float sigma) => MathF.Log(alpha) - MathF.Log(sigma);

    // DPM-Solver++ integrates the data prediction x̂_0.
    private void ConvertModelOutput(ReadOnlySpan<float> modelOutput, ReadOnlySpan<float> sample, float sigma, Span<float> x0)
    {
        var (alpha, sigmaT) = AlphaSigma(sigma);
        switch (Config.PredictionType)
        {
            case PredictionType.Epsilon:
                for (var i = 0; i < sample.Length; i++)
                {
                    x0[i] = (sample[i] - (sigmaT * modelOutput[i])) / alpha;
                }

                break;
            case PredictionType.VPrediction:
                for (var i = 0; i < sample.Length; i++)
                {
                    x0[i] = (alpha * sample[i]) - (sigmaT * modelOutput[i]);
                }

                break;
            default:
                modelOutput.CopyTo(x0);
                break;
        }
    }

    // x_t = (σ_t/σ_s) x_s - α_t (e^{-h} - 1) D0, with h = λ_t - λ_s (DDIM in λ).
    private void FirstOrderUpdate(int index, ReadOnlySpan<float> sample, ReadOnlySpan<float> x0, Span<float> prevSample)
    {
        var (alphaT, sigmaT) = AlphaSigma(_sigmas[index + 1]);
        var (alphaS, sigmaS) = AlphaSigma(_sigmas[index]);
        var h = Lambda(alphaT, sigmaT) - Lambda(alphaS, sigmaS);
        var sampleScale = sigmaT / sigmaS;
        var x0Scale = alphaT * (MathF.Exp(-h) - 1.0f);
        for (var i = 0; i < sample.Length; i++)
        {
            prevSample[i] = (sampleScale * sample[i]) - (x0Scale * x0[i]);
        }
    }

    // Multistep second order: D1 = (m0 - m1) / r0 with r0 = h_0 / h; midpoint adds -½ α_t (e^{-h} - 1) D1.
    private void SecondOrderUpdate(int index, ReadOnlySpan<float> sample, ReadOnlySpan<float> m0, ReadOnlySpan<float> m1, Span<float> prevSample)
    {
        var (alphaT, sigmaT) = AlphaSigma(_sigmas[index + 1]);
        var (alphaS0, sigmaS0) = AlphaSigma(_sigmas[index]);
        var (alphaS1, sigmaS1) = AlphaSigma(_sigmas[index - 1]);
        var lambdaT = Lambda(alphaT, sigmaT);
        var lambdaS0 = Lambda(alphaS0, sigmaS0);
        var lambdaS1 = Lambda(alphaS1, sigmaS1);
        var h = lambdaT - lambdaS0;
        var h0 = lambdaS0 - lambdaS1;
        var r0 = h0 / h;
        var d1Scale = 1.0f / r0;
        var sampleScale = sigmaT / sigmaS0;
        var expMinusOne = MathF.Exp(-h) - 1.0f;
        var d0Scale = alphaT * expMinusOne;
        for (var i = 0; i < sample.Length; i++)
        {
            var d1 = d1Scale * (m0[i] - m1[i]);
            var x = (sampleScale * sample[i]) - (d0Scale * m0[i]);
            prevSample[i] = _heun
                ? x + (alphaT * ((expMinusOne / h) + 1.0f) * d1)
                : x - (0.5f * d0Scale * d1);
        }
    }
}
