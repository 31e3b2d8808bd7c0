using System.Collections.ObjectModel;
using DiffusionFunctions.Diffusion.Randomness;

namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>
/// DPM-Solver++ (Lu et al. 2022, "DPM-Solver++", algorithms 1-2), the multistep solver for the data-prediction ODE, and its
/// SDE variant, after diffusers' <c>DPMSolverMultistepScheduler</c> with <c>algorithm_type</c> <c>dpmsolver++</c> (deterministic)
/// or <c>sde-dpmsolver++</c> (draws one noise tensor per step from the caller's <see cref="INoiseSource"/>). With
/// <c>use_karras_sigmas</c> it is "DPM++ 2M Karras". Epsilon, v_prediction and sample; <c>solver_order</c> 1, 2 or 3;
/// midpoint or heun second-order update; Karras sigmas or <c>use_lu_lambdas</c> (steps uniform in log-SNR);
/// <c>lambda_min_clipped</c>, <c>lower_order_final</c>, <c>euler_at_final</c> and <c>final_sigmas_type</c>.
/// </summary>
public sealed class DpmSolverMultistepScheduler : IScheduler, IOriginalSamplePredictor
{
    // Keys diffusers' class takes that this sampler does not implement: rejected unless they hold the default.
    private static readonly UnimplementedOption[] UnimplementedOptions =
    [
        UnimplementedOption.Flag("thresholding"),
        UnimplementedOption.Number("dynamic_thresholding_ratio", 0.995),
        UnimplementedOption.Number("sample_max_value", 1.0),
        UnimplementedOption.Flag("use_exponential_sigmas"),
        UnimplementedOption.Flag("use_beta_sigmas"),
        UnimplementedOption.Flag("use_flow_sigmas"),
        UnimplementedOption.Number("flow_shift", 1.0),
        UnimplementedOption.NotOneOf("variance_type", "learned", "learned_range"),
        UnimplementedOption.Flag("use_dynamic_shifting"),
        UnimplementedOption.Text("time_shift_type", "exponential"),
    ];

    private readonly float[] _alphasCumprod;
    private readonly float[] _trainingSigmas;
    private readonly float[] _logSigmas;
    private readonly int _lastTimestep;
    private readonly bool _heun;
    private readonly bool _stochastic;
    private readonly StepIndexCounter _counter = new();

    // The last (up to three) data predictions, newest at _newest; buffers are reused round the ring.
    private readonly float[]?[] _modelOutputs = new float[3][];
    private int _newest;
    private float[]? _noise;
    private float[] _sigmas;
    private ReadOnlyCollection<float> _timesteps;
    private int _lowerOrderNums;
    private bool _timestepsSet;

    /// <summary>Creates the sampler from a <c>scheduler_config.json</c>.</summary>
    /// <exception cref="SchedulerConfigException">The configuration holds a value this sampler does not support.</exception>
    public DpmSolverMultistepScheduler(SchedulerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        UnimplementedOption.RejectNonDefault(config, "dpm++-2m", UnimplementedOptions);

        // diffusers maps "deis" to dpmsolver++; the deprecated noise-prediction variants are not implemented here.
        _stochastic = config.AlgorithmType switch
        {
            "dpmsolver++" or "deis" => false,
            "sde-dpmsolver++" => true,
            _ => throw new SchedulerConfigException(
                "algorithm_type", $"'{config.AlgorithmType}' is not supported; expected dpmsolver++ or sde-dpmsolver++"),
        };
        _heun = config.SolverType switch
        {
            "midpoint" or "logrho" or "bh1" or "bh2" => false,
            "heun" => true,
            _ => throw new SchedulerConfigException("solver_type", $"'{config.SolverType}' is not supported; expected midpoint or heun"),
        };
        Config = config;
        _alphasCumprod = BetaSchedule.From(config, ZeroTerminalSnr.SmallestFp16Subnormal).AlphasCumprod;
        _trainingSigmas = SigmaInterpolation.TrainingSigmas(_alphasCumprod);
        _logSigmas = SigmaInterpolation.LogSigmas(_trainingSigmas);
        _lastTimestep = config.NumTrainTimesteps - ClippedTimesteps(_alphasCumprod, config.LambdaMinClipped);
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
        var timesteps = TimestepSpacing.DpmSolver(
            Config.TimestepSpacing ?? TimestepSpacingKind.Linspace, n, _lastTimestep, numInferenceSteps, Config.StepsOffset);
        double[] sigmas;
        if (Config.UseKarrasSigmas || Config.UseLuLambdas)
        {
            // Karras sigmas over the whole training range, or log-σ evenly spaced (Lu's uniform log-SNR; diffusers takes
            // Karras first when a folder sets both), mapped back to
            // timesteps: rounded, except on the cosine schedule, where diffusers keeps the fractional value and the int64
            // cast truncates it (rounding there repeated 999 and ran the loop past its last sigma).
            sigmas = Config.UseKarrasSigmas
                ? KarrasSigmas.Create(_trainingSigmas[0], _trainingSigmas[^1], numInferenceSteps)
                : LuLambdaSigmas(_logSigmas[^1], _logSigmas[0], numInferenceSteps);
            var truncate = Config.BetaSchedule == BetaScheduleKind.SquaredCosCapV2;
            timesteps = sigmas
                .Select(s => SigmaInterpolation.SigmaToTimestep(s, _logSigmas))
                .Select(t => truncate ? (long)t : (long)Math.Round(t, MidpointRounding.ToEven))
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
    public void Step(ReadOnlySpan<float> modelOutput, float timestep, ReadOnlySpan<float> sample, Span<float> prevSample, INoiseSource? noiseSource)
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

        // The oldest buffer of the ring takes the new data prediction.
        _newest = (_newest + 1) % _modelOutputs.Length;
        var m0 = SchedulerMath.Ensure(ref _modelOutputs[_newest], sample.Length);
        ConvertModelOutput(modelOutput, sample, _sigmas[index], m0);

        Span<float> noise = default;
        if (_stochastic)
        {
            noise = SchedulerMath.Ensure(ref _noise, sample.Length);
            SchedulerMath.DrawNoise(noiseSource, noise, Name);
        }

        if (Config.SolverOrder == 1 || _lowerOrderNums < 1 || lowerOrderFinal)
        {
            FirstOrderUpdate(index, sample, m0, noise, prevSample);
        }
        else if (Config.SolverOrder == 2 || _lowerOrderNums < 2 || lowerOrderSecond)
        {
            SecondOrderUpdate(index, sample, m0, ModelOutput(1), noise, prevSample);
        }
        else
        {
            ThirdOrderUpdate(index, sample, m0, ModelOutput(1), ModelOutput(2), noise, prevSample);
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

    // x_t = (σ_t/σ_s) x_s - α_t (e^{-h} - 1) D0, with h = λ_t - λ_s (DDIM in λ); the SDE variant
    // x_t = (σ_t/σ_s e^{-h}) x_s + α_t (1 - e^{-2h}) D0 + σ_t √(1 - e^{-2h}) z.
    private void FirstOrderUpdate(int index, ReadOnlySpan<float> sample, ReadOnlySpan<float> x0, ReadOnlySpan<float> noise, Span<float> prevSample)
    {
        var (alphaT, sigmaT) = AlphaSigma(_sigmas[index + 1]);
        var (alphaS, sigmaS) = AlphaSigma(_sigmas[index]);
        var h = Lambda(alphaT, sigmaT) - Lambda(alphaS, sigmaS);
        if (_stochastic)
        {
            var sampleScale = sigmaT / sigmaS * MathF.Exp(-h);
            var x0Scale = alphaT * (1.0f - MathF.Exp(-2.0f * h));
            var noiseScale = sigmaT * MathF.Sqrt(1.0f - MathF.Exp(-2.0f * h));
            for (var i = 0; i < sample.Length; i++)
            {
                prevSample[i] = (sampleScale * sample[i]) + (x0Scale * x0[i]) + (noiseScale * noise[i]);
            }
        }
        else
        {
            var sampleScale = sigmaT / sigmaS;
            var x0Scale = alphaT * (MathF.Exp(-h) - 1.0f);
            for (var i = 0; i < sample.Length; i++)
            {
                prevSample[i] = (sampleScale * sample[i]) - (x0Scale * x0[i]);
            }
        }
    }

    // Multistep second order: D1 = (m0 - m1) / r0 with r0 = h_0 / h; midpoint adds -½ α_t (e^{-h} - 1) D1 (ODE) or
    // ½ α_t (1 - e^{-2h}) D1 (SDE); heun α_t ((e^{-h} - 1) / h + 1) D1 (ODE) or α_t ((1 - e^{-2h}) / (-2h) + 1) D1 (SDE).
    private void SecondOrderUpdate(
        int index, ReadOnlySpan<float> sample, ReadOnlySpan<float> m0, ReadOnlySpan<float> m1, ReadOnlySpan<float> noise, Span<float> prevSample)
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
        if (_stochastic)
        {
            var sampleScale = sigmaT / sigmaS0 * MathF.Exp(-h);
            var d0Scale = alphaT * (1.0f - MathF.Exp(-2.0f * h));
            var d1Term = _heun ? alphaT * (((1.0f - MathF.Exp(-2.0f * h)) / (-2.0f * h)) + 1.0f) : 0.5f * d0Scale;
            var noiseScale = sigmaT * MathF.Sqrt(1.0f - MathF.Exp(-2.0f * h));
            for (var i = 0; i < sample.Length; i++)
            {
                var d1 = d1Scale * (m0[i] - m1[i]);
                prevSample[i] = (sampleScale * sample[i]) + (d0Scale * m0[i]) + (d1Term * d1) + (noiseScale * noise[i]);
            }

            return;
        }

        var odeSampleScale = sigmaT / sigmaS0;
        var expMinusOne = MathF.Exp(-h) - 1.0f;
        var odeD0Scale = alphaT * expMinusOne;
        var heunD1Scale = alphaT * ((expMinusOne / h) + 1.0f);
        for (var i = 0; i < sample.Length; i++)
        {
            var d1 = d1Scale * (m0[i] - m1[i]);
            var x = (odeSampleScale * sample[i]) - (odeD0Scale * m0[i]);
            prevSample[i] = _heun ? x + (heunD1Scale * d1) : x - (0.5f * odeD0Scale * d1);
        }
    }

    // Multistep third order (DPM-Solver++(3M)): D1 and D2 from the last three data predictions.
    private void ThirdOrderUpdate(
        int index,
        ReadOnlySpan<float> sample,
        ReadOnlySpan<float> m0,
        ReadOnlySpan<float> m1,
        ReadOnlySpan<float> m2,
        ReadOnlySpan<float> noise,
        Span<float> prevSample)
    {
        var (alphaT, sigmaT) = AlphaSigma(_sigmas[index + 1]);
        var (alphaS0, sigmaS0) = AlphaSigma(_sigmas[index]);
        var (alphaS1, sigmaS1) = AlphaSigma(_sigmas[index - 1]);
        var (alphaS2, sigmaS2) = AlphaSigma(_sigmas[index - 2]);
        var lambdaT = Lambda(alphaT, sigmaT);
        var lambdaS0 = Lambda(alphaS0, sigmaS0);
        var lambdaS1 = Lambda(alphaS1, sigmaS1);
        var lambdaS2 = Lambda(alphaS2, sigmaS2);
        var h = lambdaT - lambdaS0;
        var h0 = lambdaS0 - lambdaS1;
        var h1 = lambdaS1 - lambdaS2;
        var r0 = h0 / h;
        var r1 = h1 / h;
        var d10Scale = 1.0f / r0;
        var d11Scale = 1.0f / r1;
        var d1Mix = r0 / (r0 + r1);
        var d2Scale = 1.0f / (r0 + r1);
        float sampleScale, d0Scale, d1Scale, d2Scale2, noiseScale;
        if (_stochastic)
        {
            var oneMinusExp = 1.0f - MathF.Exp(-2.0f * h);
            sampleScale = sigmaT / sigmaS0 * MathF.Exp(-h);
            d0Scale = alphaT * oneMinusExp;
            d1Scale = alphaT * ((oneMinusExp / (-2.0f * h)) + 1.0f);
            var twoH = 2.0f * h;
            d2Scale2 = alphaT * (((oneMinusExp - (2.0f * h)) / (twoH * twoH)) - 0.5f);
            noiseScale = sigmaT * MathF.Sqrt(oneMinusExp);
        }
        else
        {
            var expMinusOne = MathF.Exp(-h) - 1.0f;
            sampleScale = sigmaT / sigmaS0;
            d0Scale = -(alphaT * expMinusOne);
            d1Scale = alphaT * ((expMinusOne / h) + 1.0f);
            d2Scale2 = -(alphaT * (((expMinusOne + h) / (h * h)) - 0.5f));
            noiseScale = 0.0f;
        }

        for (var i = 0; i < sample.Length; i++)
        {
            var d10 = d10Scale * (m0[i] - m1[i]);
            var d11 = d11Scale * (m1[i] - m2[i]);
            var difference = d10 - d11;
            var d1 = d10 + (d1Mix * difference);
            var d2 = d2Scale * difference;
            var x = (sampleScale * sample[i]) + (d0Scale * m0[i]) + (d1Scale * d1) + (d2Scale2 * d2);
            prevSample[i] = _stochastic ? x + (noiseScale * noise[i]) : x;
        }
    }

    // The data prediction stored `back` steps before the newest.
    private float[] ModelOutput(int back) => _modelOutputs[(_newest - back + _modelOutputs.Length) % _modelOutputs.Length]!;

    // np.log σ of every training step, evenly spaced from log σ_max down to log σ_min, back to σ (diffusers' _convert_to_lu, ρ = 1).
    private static double[] LuLambdaSigmas(double lambdaMax, double lambdaMin, int count)
    {
        var ramp = TimestepSpacing.NumpyLinspace(0, 1, count);
        var sigmas = new double[count];
        for (var i = 0; i < count; i++)
        {
            sigmas[i] = Math.Exp(lambdaMax + (ramp[i] * (lambdaMin - lambdaMax)));
        }

        return sigmas;
    }

    // torch.searchsorted(flip(λ_t), lambda_min_clipped): how many training steps have λ_t = log α_t - log σ_t below the
    // bound (float32, α_t = √ᾱ, σ_t = √(1 - ᾱ)); those at the noisy end are never sampled.
    private static int ClippedTimesteps(float[] alphasCumprod, double lambdaMinClipped)
    {
        if (double.IsNegativeInfinity(lambdaMinClipped))
        {
            return 0;
        }

        var clipped = 0;
        foreach (var alphaProduct in alphasCumprod)
        {
            var lambda = MathF.Log(MathF.Sqrt(alphaProduct)) - MathF.Log(MathF.Sqrt(1.0f - alphaProduct));
            if (lambda < lambdaMinClipped)
            {
                clipped++;
            }
        }

        return clipped;
    }
}
