using System.Collections.ObjectModel;
using DiffusionFunctions.Diffusion.Randomness;

namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>
/// Pseudo Numerical methods for Diffusion Models (Liu et al. 2022, eq. 9 with the linear multistep of eq. 12), after
/// diffusers' <c>PNDMScheduler</c>: four Runge-Kutta warm-up steps (PRK, 3 model calls each), then 4th-order
/// Adams-Bashforth (PLMS). With <c>skip_prk_steps</c> (Stable Diffusion 1.x) it starts PLMS directly, repeating the second
/// timestep as crowsonkb's PLMS sampler does. Deterministic; epsilon and v_prediction.
/// </summary>
public sealed class PndmScheduler : IScheduler, IOriginalSamplePredictor
{
    private const int PndmOrder = 4;

    private readonly float[] _alphasCumprod;
    private readonly float _finalAlphaCumprod;
    private readonly float[]?[] _ets = new float[PndmOrder][];
    private int _etsCount;
    private int _etsNext;
    private float[]? _curModelOutput;
    private float[]? _curSample;
    private float[]? _combined;
    private bool _hasCurSample;
    private int _counter;
    private int _numPrkTimesteps;
    private int? _numInferenceSteps;
    private ReadOnlyCollection<float> _timesteps;

    /// <summary>Creates the sampler from a <c>scheduler_config.json</c>.</summary>
    /// <exception cref="SchedulerConfigException">The configuration holds a value this sampler does not support.</exception>
    public PndmScheduler(SchedulerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (config.PredictionType == PredictionType.Sample)
        {
            throw new SchedulerConfigException("prediction_type", "'sample' is not supported by pndm; expected epsilon or v_prediction");
        }

        Config = config;
        _alphasCumprod = BetaSchedule.From(config, ZeroTerminalSnr.NotTaken).AlphasCumprod;
        _finalAlphaCumprod = config.SetAlphaToOne ?? false ? 1.0f : _alphasCumprod[0];
        _timesteps = Array.AsReadOnly(Array.Empty<float>());
    }

    /// <inheritdoc />
    public string Name => "pndm";

    /// <inheritdoc />
    public SchedulerConfig Config { get; }

    /// <inheritdoc />
    public int Order => 1;

    /// <inheritdoc />
    public float InitNoiseSigma => 1.0f;

    /// <inheritdoc />
    public IReadOnlyList<float> Timesteps => _timesteps;

    /// <summary>How many of <see cref="Timesteps"/> are Runge-Kutta warm-up steps (0 with skip_prk_steps).</summary>
    public int PrkStepCount => _numPrkTimesteps;

    /// <inheritdoc />
    public void SetTimesteps(int numInferenceSteps)
    {
        if (!Config.SkipPrkSteps && numInferenceSteps < PndmOrder)
        {
            throw new ArgumentOutOfRangeException(
                nameof(numInferenceSteps), numInferenceSteps, $"PNDM with PRK steps needs num_inference_steps >= {PndmOrder}; set skip_prk_steps for fewer.");
        }

        var spacing = Config.TimestepSpacing ?? TimestepSpacingKind.Leading;
        var ascending = TimestepSpacing.Discrete(spacing, Config.NumTrainTimesteps, numInferenceSteps, Config.StepsOffset).Reverse().ToArray();
        var timesteps = new List<long>();
        if (Config.SkipPrkSteps)
        {
            // concat(_timesteps[:-1], _timesteps[-2:-1], _timesteps[-1:])[::-1]
            timesteps.Add(ascending[^1]);
            if (ascending.Length > 1)
            {
                timesteps.Add(ascending[^2]);
            }

            for (var i = ascending.Length - 2; i >= 0; i--)
            {
                timesteps.Add(ascending[i]);
            }

            _numPrkTimesteps = 0;
        }
        else
        {
            // The last four timesteps each get a midpoint half a step above; the PRK walk visits t, t+½, t+½, t+1 ... descending.
            var half = Config.NumTrainTimesteps / numInferenceSteps / 2;
            var prk = new List<long>();
            foreach (var t in ascending[^PndmOrder..])
            {
                prk.Add(t);
                prk.Add(t + half);
            }

            var doubled = prk.Take(prk.Count - 1).SelectMany(t => new[] { t, t }).ToList();
            var trimmed = doubled.Skip(1).Take(doubled.Count - 2).Reverse().ToList();
            timesteps.AddRange(trimmed);
            _numPrkTimesteps = trimmed.Count;
            for (var i = ascending.Length - 4; i >= 0; i--)
            {
                timesteps.Add(ascending[i]);
            }
        }

        _timesteps = Array.AsReadOnly(timesteps.Select(t => (float)t).ToArray());
        _numInferenceSteps = numInferenceSteps;
        _counter = 0;
        _etsCount = 0;
        _etsNext = 0;
        _hasCurSample = false;
        if (_curModelOutput is not null)
        {
            Array.Clear(_curModelOutput);
        }
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
        if (_numInferenceSteps is null)
        {
            throw new InvalidOperationException("Call SetTimesteps before Step.");
        }

        var t = SchedulerMath.DiscreteTimestep(timestep, Config.NumTrainTimesteps);
        if (_counter < _numPrkTimesteps && !Config.SkipPrkSteps)
        {
            StepPrk(modelOutput, t, sample, prevSample);
        }
        else
        {
            StepPlms(modelOutput, t, sample, prevSample);
        }
    }

    /// <inheritdoc />
    public void PredictOriginalSample(ReadOnlySpan<float> modelOutput, float timestep, ReadOnlySpan<float> sample, Span<float> destination) =>
        OriginalSamplePrediction.FromAlphaProduct(
            Config.PredictionType,
            _alphasCumprod[SchedulerMath.DiscreteTimestep(timestep, Config.NumTrainTimesteps)],
            null,
            modelOutput,
            sample,
            destination);

    /// <inheritdoc />
    public void AddNoise(ReadOnlySpan<float> originalSamples, ReadOnlySpan<float> noise, float timestep, Span<float> destination) =>
        AlphaProductNoising.AddNoise(
            _alphasCumprod[SchedulerMath.DiscreteTimestep(timestep, Config.NumTrainTimesteps)], originalSamples, noise, destination);

    // Runge-Kutta: the model outputs at t, t-½ (twice) and t-1 are weighted 1/6, 1/3, 1/3, 1/6; each sub-step restarts from
    // the sample at t.
    private void StepPrk(ReadOnlySpan<float> modelOutput, int timestep, ReadOnlySpan<float> sample, Span<float> prevSample)
    {
        var length = sample.Length;
        var steps = _numInferenceSteps!.Value;
        var diffToPrev = _counter % 2 != 0 ? 0 : Config.NumTrainTimesteps / steps / 2;
        var prevTimestep = timestep - diffToPrev;
        var stepStart = (int)_timesteps[_counter / 4 * 4];
        var accumulated = SchedulerMath.Ensure(ref _curModelOutput, length);
        var curSample = SchedulerMath.Ensure(ref _curSample, length);
        var combined = SchedulerMath.Ensure(ref _combined, length);
        const float Sixth = (float)(1.0 / 6);
        const float Third = (float)(1.0 / 3);

        ReadOnlySpan<float> effective;
        switch (_counter % 4)
        {
            case 0:
                for (var i = 0; i < length; i++)
                {
                    accumulated[i] += Sixth * modelOutput[i];
                }

                PushEt(modelOutput);
                sample.CopyTo(curSample);
                _hasCurSample = true;
                effective = modelOutput;
                break;
            case 1:
            case 2:
                for (var i = 0; i < length; i++)
                {
                    accumulated[i] += Third * modelOutput[i];
                }

                effective = modelOutput;
                break;
            default:
                for (var i = 0; i < length; i++)
                {
                    combined[i] = accumulated[i] + (Sixth * modelOutput[i]);
                }

                Array.Clear(accumulated);
                effective = combined;
                break;
        }

        ReadOnlySpan<float> from = _hasCurSample ? curSample : sample;
        PreviousSample(from, stepStart, prevTimestep, effective, prevSample);
        _counter++;
    }

    // Linear multistep (Adams-Bashforth) over the last four ε estimates; the first PLMS step without PRK warm-up is a
    // Heun-like pair of model calls at the same timestep.
    private void StepPlms(ReadOnlySpan<float> modelOutput, int timestep, ReadOnlySpan<float> sample, Span<float> prevSample)
    {
        if (!Config.SkipPrkSteps && _etsCount < 3)
        {
            throw new InvalidOperationException("PNDM needs its Runge-Kutta warm-up steps before linear multistep steps; run the Timesteps in order.");
        }

        var length = sample.Length;
        var stride = Config.NumTrainTimesteps / _numInferenceSteps!.Value;
        var prevTimestep = timestep - stride;
        if (_counter != 1)
        {
            PushEt(modelOutput);
        }
        else
        {
            prevTimestep = timestep;
            timestep += stride;
        }

        var combined = SchedulerMath.Ensure(ref _combined, length);
        var curSample = SchedulerMath.Ensure(ref _curSample, length);
        ReadOnlySpan<float> from = sample;
        if (_etsCount == 1 && _counter == 0)
        {
            modelOutput.CopyTo(combined);
            sample.CopyTo(curSample);
            _hasCurSample = true;
        }
        else if (_etsCount == 1 && _counter == 1)
        {
            var e1 = Et(1);
            for (var i = 0; i < length; i++)
            {
                combined[i] = (modelOutput[i] + e1[i]) / 2;
            }

            from = curSample;
            _hasCurSample = false;
        }
        else if (_etsCount == 2)
        {
            var e1 = Et(1);
            var e2 = Et(2);
            for (var i = 0; i < length; i++)
            {
                combined[i] = ((3 * e1[i]) - e2[i]) / 2;
            }
        }
        else if (_etsCount == 3)
        {
            var e1 = Et(1);
            var e2 = Et(2);
            var e3 = Et(3);
            for (var i = 0; i < length; i++)
            {
                combined[i] = ((23 * e1[i]) - (16 * e2[i]) + (5 * e3[i])) / 12;
            }
        }
        else
        {
            var e1 = Et(1);
            var e2 = Et(2);
            var e3 = Et(3);
            var e4 = Et(4);
            const float TwentyFourth = (float)(1.0 / 24);
            for (var i = 0; i < length; i++)
            {
                combined[i] = TwentyFourth * ((55 * e1[i]) - (59 * e2[i]) + (37 * e3[i]) - (9 * e4[i]));
            }
        }

        PreviousSample(from, timestep, prevTimestep, combined, prevSample);
        _counter++;
    }

    // Eq. 9: x_{t-δ} = √(ᾱ_{t-δ}/ᾱ_t) x_t - (ᾱ_{t-δ} - ᾱ_t) ε / (ᾱ_t √(1-ᾱ_{t-δ}) + √(ᾱ_t (1-ᾱ_t) ᾱ_{t-δ})).
    private void PreviousSample(ReadOnlySpan<float> sample, int timestep, int prevTimestep, ReadOnlySpan<float> modelOutput, Span<float> prevSample)
    {
        var alphaProd = _alphasCumprod[timestep];
        var alphaProdPrev = prevTimestep >= 0 ? _alphasCumprod[prevTimestep] : _finalAlphaCumprod;
        var betaProd = 1.0f - alphaProd;
        var betaProdPrev = 1.0f - alphaProdPrev;
        var sampleCoeff = MathF.Sqrt(alphaProdPrev / alphaProd);
        var denominator = (alphaProd * MathF.Sqrt(betaProdPrev)) + MathF.Sqrt(alphaProd * betaProd * alphaProdPrev);
        var difference = alphaProdPrev - alphaProd;
        var vPrediction = Config.PredictionType == PredictionType.VPrediction;
        var sqrtAlpha = MathF.Sqrt(alphaProd);
        var sqrtBeta = MathF.Sqrt(betaProd);
        for (var i = 0; i < sample.Length; i++)
        {
            var x = sample[i];
            var epsilon = vPrediction ? (sqrtAlpha * modelOutput[i]) + (sqrtBeta * x) : modelOutput[i];
            prevSample[i] = (sampleCoeff * x) - (difference * epsilon / denominator);
        }
    }

    private void PushEt(ReadOnlySpan<float> modelOutput)
    {
        var slot = SchedulerMath.Ensure(ref _ets[_etsNext], modelOutput.Length);
        modelOutput.CopyTo(slot);
        _etsNext = (_etsNext + 1) % PndmOrder;
        _etsCount = Math.Min(_etsCount + 1, PndmOrder);
    }

    // Et(1) is the newest stored model output, Et(4) the oldest.
    private float[] Et(int back) => _ets[(_etsNext - back + PndmOrder) % PndmOrder]!;
}
