using System.Globalization;
using System.Text.Json;

namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>
/// A diffusers <c>scheduler/scheduler_config.json</c>, the union of the keys our samplers read. Values left <see langword="null"/>
/// take the default of the sampler that reads them (as diffusers' <c>from_config</c> does); other keys land in
/// <see cref="OtherKeys"/>, where each sampler refuses those its diffusers class takes but this project does not implement.
/// </summary>
/// <remarks>Names and defaults follow diffusers' scheduler constructors (<c>src/diffusers/schedulers/scheduling_*.py</c>).</remarks>
public sealed record SchedulerConfig
{
    /// <summary><c>_class_name</c>: the diffusers scheduler class the model folder ships, e.g. <c>PNDMScheduler</c>.</summary>
    public string? ClassName { get; init; }

    /// <summary><c>num_train_timesteps</c> (default 1000).</summary>
    public int NumTrainTimesteps { get; init; } = 1000;

    /// <summary><c>beta_start</c> (default 0.0001; LCM 0.00085).</summary>
    public double? BetaStart { get; init; }

    /// <summary><c>beta_end</c> (default 0.02; LCM 0.012).</summary>
    public double? BetaEnd { get; init; }

    /// <summary><c>beta_schedule</c> (default linear; LCM scaled_linear).</summary>
    public BetaScheduleKind? BetaSchedule { get; init; }

    /// <summary><c>trained_betas</c>: explicit betas that replace the schedule.</summary>
    public IReadOnlyList<double>? TrainedBetas { get; init; }

    /// <summary><c>prediction_type</c> (default epsilon).</summary>
    public PredictionType PredictionType { get; init; } = PredictionType.Epsilon;

    /// <summary><c>timestep_spacing</c> (default leading for DDPM/DDIM/PNDM/LCM, linspace for Euler/LMS/DPM-Solver).</summary>
    public TimestepSpacingKind? TimestepSpacing { get; init; }

    /// <summary><c>steps_offset</c> added to leading timesteps (default 0; Stable Diffusion 1).</summary>
    public int StepsOffset { get; init; }

    /// <summary><c>use_karras_sigmas</c> (Euler, LMS, DPM-Solver; default false).</summary>
    public bool UseKarrasSigmas { get; init; }

    /// <summary><c>set_alpha_to_one</c>: the final alpha product is 1 instead of alphas_cumprod[0] (default true for DDIM/LCM, false for PNDM).</summary>
    public bool? SetAlphaToOne { get; init; }

    /// <summary><c>clip_sample</c>: clip the predicted clean sample (default true for DDPM/DDIM, false for LCM).</summary>
    public bool? ClipSample { get; init; }

    /// <summary><c>clip_sample_range</c> (default 1).</summary>
    public double ClipSampleRange { get; init; } = 1.0;

    /// <summary><c>interpolation_type</c> of Euler sigmas (default linear).</summary>
    public InterpolationType InterpolationType { get; init; } = InterpolationType.Linear;

    /// <summary><c>final_sigmas_type</c> (Euler, DPM-Solver; default zero).</summary>
    public FinalSigmasType FinalSigmasType { get; init; } = FinalSigmasType.Zero;

    /// <summary><c>skip_prk_steps</c>: PNDM without the Runge-Kutta warm-up (default false; Stable Diffusion true).</summary>
    public bool SkipPrkSteps { get; init; }

    /// <summary><c>original_inference_steps</c>: LCM's distillation step count (default 50).</summary>
    public int OriginalInferenceSteps { get; init; } = 50;

    /// <summary><c>timestep_scaling</c>: LCM's boundary-condition scale (default 10).</summary>
    public double TimestepScaling { get; init; } = 10.0;

    /// <summary><c>solver_order</c> of DPM-Solver (default 2; only 1 and 2 supported).</summary>
    public int SolverOrder { get; init; } = 2;

    /// <summary><c>lower_order_final</c>: DPM-Solver uses first order for the last step below 15 steps (default true).</summary>
    public bool LowerOrderFinal { get; init; } = true;

    /// <summary><c>euler_at_final</c>: DPM-Solver uses first order for the very last step (default false).</summary>
    public bool EulerAtFinal { get; init; }

    /// <summary><c>variance_type</c> of DDPM (default fixed_small).</summary>
    public VarianceType VarianceType { get; init; } = VarianceType.FixedSmall;

    /// <summary><c>algorithm_type</c> of DPM-Solver (default and only supported value: dpmsolver++).</summary>
    public string AlgorithmType { get; init; } = "dpmsolver++";

    /// <summary><c>solver_type</c> of DPM-Solver's second-order update: midpoint (default) or heun.</summary>
    public string SolverType { get; init; } = "midpoint";

    /// <summary><c>rescale_betas_zero_snr</c>: rescale betas to zero terminal SNR (Lin et al., algorithm 1; default false).</summary>
    public bool RescaleBetasZeroSnr { get; init; }

    /// <summary><c>use_lu_lambdas</c>: DPM-Solver steps uniform in log-SNR (Lu et al. 2022; default false).</summary>
    public bool UseLuLambdas { get; init; }

    /// <summary><c>lambda_min_clipped</c>: DPM-Solver skips the training timesteps whose log-SNR λ is below this (default -∞).</summary>
    public double LambdaMinClipped { get; init; } = double.NegativeInfinity;

    /// <summary>
    /// The keys this record has no property for, with their JSON values (nulls dropped). A sampler rejects those its diffusers
    /// class takes but this project does not implement when they hold a non-default value (e.g. <c>thresholding: true</c>);
    /// keys its class does not take are ignored, as diffusers ignores them in a config shared between samplers.
    /// </summary>
    public IReadOnlyDictionary<string, JsonElement> OtherKeys { get; init; } = EmptyOtherKeys;

    private static readonly IReadOnlyDictionary<string, JsonElement> EmptyOtherKeys = new Dictionary<string, JsonElement>(StringComparer.Ordinal);

    /// <summary>The diffusers default configuration (as if the JSON were <c>{}</c>).</summary>
    public static SchedulerConfig Default { get; } = new();

    /// <summary>Reads a <c>scheduler_config.json</c> file.</summary>
    /// <exception cref="SchedulerConfigException">A key holds a value of the wrong type or outside its allowed values.</exception>
    public static async Task<SchedulerConfig> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(json);
    }

    /// <summary>Reads a <c>scheduler_config.json</c> file synchronously.</summary>
    /// <exception cref="SchedulerConfigException">A key holds a value of the wrong type or outside its allowed values.</exception>
    public static SchedulerConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllText(path));
    }

    /// <summary>
    /// Parses the JSON text of a <c>scheduler_config.json</c>: JSON nulls are dropped, keys without a property kept in
    /// <see cref="OtherKeys"/>, and Python's bare <c>-Infinity</c>, <c>Infinity</c> and <c>NaN</c> accepted as numbers.
    /// </summary>
    /// <exception cref="SchedulerConfigException">A key holds a value of the wrong type or outside its allowed values, or the text is not a JSON object.</exception>
    public static SchedulerConfig Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(SchedulerConfigReader.QuotePythonNonFiniteNumbers(json));
        }
        catch (JsonException ex)
        {
            throw new SchedulerConfigException("scheduler config is not valid JSON: " + ex.Message, ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new SchedulerConfigException("(root)", "expected a JSON object");
            }

            var config = SchedulerConfigReader.Read(document.RootElement);
            config.Validate();
            return config;
        }
    }

    /// <summary>Writes the configuration as <c>scheduler_config.json</c> text with diffusers' key names (null values omitted).</summary>
    public string ToJson() => SchedulerConfigWriter.Write(this);

    /// <summary>Checks value ranges that do not depend on the sampler.</summary>
    /// <exception cref="SchedulerConfigException">A value is out of range; the message names the key.</exception>
    public void Validate()
    {
        if (NumTrainTimesteps < 2)
        {
            throw new SchedulerConfigException("num_train_timesteps", $"must be at least 2, got {NumTrainTimesteps}");
        }

        CheckProbability("beta_start", BetaStart);
        CheckProbability("beta_end", BetaEnd);
        if (TrainedBetas is { } trained)
        {
            if (trained.Count != NumTrainTimesteps)
            {
                throw new SchedulerConfigException("trained_betas", $"has {trained.Count} values but num_train_timesteps is {NumTrainTimesteps}");
            }

            foreach (var beta in trained)
            {
                if (!(beta > 0 && beta < 1))
                {
                    throw new SchedulerConfigException("trained_betas", $"values must lie in (0, 1), got {beta.ToString(CultureInfo.InvariantCulture)}");
                }
            }
        }

        if (StepsOffset < 0 || StepsOffset >= NumTrainTimesteps)
        {
            throw new SchedulerConfigException("steps_offset", $"must lie in [0, num_train_timesteps), got {StepsOffset}");
        }

        if (!(ClipSampleRange > 0))
        {
            throw new SchedulerConfigException("clip_sample_range", "must be positive");
        }

        if (!(TimestepScaling > 0))
        {
            throw new SchedulerConfigException("timestep_scaling", "must be positive");
        }

        if (SolverOrder is < 1 or > 3)
        {
            throw new SchedulerConfigException("solver_order", $"only orders 1, 2 and 3 are supported, got {SolverOrder}");
        }

        if (double.IsNaN(LambdaMinClipped))
        {
            throw new SchedulerConfigException("lambda_min_clipped", "must be a number");
        }
    }

    private static void CheckProbability(string key, double? value)
    {
        if (value is { } v && !(v > 0 && v < 1))
        {
            throw new SchedulerConfigException(key, $"must lie in (0, 1), got {v.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    /// <summary>Value equality, comparing <see cref="TrainedBetas"/> element by element.</summary>
    public bool Equals(SchedulerConfig? other) =>
        other is not null
        && ClassName == other.ClassName && NumTrainTimesteps == other.NumTrainTimesteps
        && BetaStart == other.BetaStart && BetaEnd == other.BetaEnd && BetaSchedule == other.BetaSchedule
        && (TrainedBetas is null ? other.TrainedBetas is null : other.TrainedBetas is not null && TrainedBetas.SequenceEqual(other.TrainedBetas))
        && PredictionType == other.PredictionType && TimestepSpacing == other.TimestepSpacing && StepsOffset == other.StepsOffset
        && UseKarrasSigmas == other.UseKarrasSigmas && SetAlphaToOne == other.SetAlphaToOne && ClipSample == other.ClipSample
        && ClipSampleRange == other.ClipSampleRange && InterpolationType == other.InterpolationType
        && FinalSigmasType == other.FinalSigmasType && SkipPrkSteps == other.SkipPrkSteps
        && OriginalInferenceSteps == other.OriginalInferenceSteps && TimestepScaling == other.TimestepScaling
        && SolverOrder == other.SolverOrder && LowerOrderFinal == other.LowerOrderFinal && EulerAtFinal == other.EulerAtFinal
        && VarianceType == other.VarianceType && AlgorithmType == other.AlgorithmType && SolverType == other.SolverType
        && RescaleBetasZeroSnr == other.RescaleBetasZeroSnr && UseLuLambdas == other.UseLuLambdas
        && LambdaMinClipped.Equals(other.LambdaMinClipped) && OtherKeysEqual(OtherKeys, other.OtherKeys);

    private static bool OtherKeysEqual(IReadOnlyDictionary<string, JsonElement> a, IReadOnlyDictionary<string, JsonElement> b) =>
        a.Count == b.Count
        && a.All(pair => b.TryGetValue(pair.Key, out var value) && JsonElement.DeepEquals(pair.Value, value));

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(ClassName);
        hash.Add(NumTrainTimesteps);
        hash.Add(BetaStart);
        hash.Add(BetaEnd);
        hash.Add(BetaSchedule);
        hash.Add(TrainedBetas?.Count);
        hash.Add(PredictionType);
        hash.Add(TimestepSpacing);
        hash.Add(StepsOffset);
        hash.Add(UseKarrasSigmas);
        hash.Add(SetAlphaToOne);
        hash.Add(ClipSample);
        hash.Add(SkipPrkSteps);
        hash.Add(SolverOrder);
        hash.Add(VarianceType);
        return hash.ToHashCode();
    }
}
