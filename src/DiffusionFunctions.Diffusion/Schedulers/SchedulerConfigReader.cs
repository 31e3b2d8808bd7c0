using System.Text.Json;

namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>Maps the keys of a <c>scheduler_config.json</c> object onto <see cref="SchedulerConfig"/>, naming the key in every error.</summary>
internal static class SchedulerConfigReader
{
    private static readonly (string Json, BetaScheduleKind Value)[] BetaSchedules =
        [("linear", BetaScheduleKind.Linear), ("scaled_linear", BetaScheduleKind.ScaledLinear), ("squaredcos_cap_v2", BetaScheduleKind.SquaredCosCapV2)];

    private static readonly (string Json, PredictionType Value)[] PredictionTypes =
        [("epsilon", PredictionType.Epsilon), ("v_prediction", PredictionType.VPrediction), ("sample", PredictionType.Sample)];

    private static readonly (string Json, TimestepSpacingKind Value)[] Spacings =
        [("leading", TimestepSpacingKind.Leading), ("trailing", TimestepSpacingKind.Trailing), ("linspace", TimestepSpacingKind.Linspace)];

    private static readonly (string Json, InterpolationType Value)[] Interpolations =
        [("linear", InterpolationType.Linear), ("log_linear", InterpolationType.LogLinear)];

    private static readonly (string Json, FinalSigmasType Value)[] FinalSigmas =
        [("zero", FinalSigmasType.Zero), ("sigma_min", FinalSigmasType.SigmaMin)];

    private static readonly (string Json, VarianceType Value)[] Variances =
        [("fixed_small", VarianceType.FixedSmall), ("fixed_small_log", VarianceType.FixedSmallLog), ("fixed_large", VarianceType.FixedLarge), ("fixed_large_log", VarianceType.FixedLargeLog)];

    internal static string JsonName(BetaScheduleKind value) => NameOf(BetaSchedules, value);

    internal static string JsonName(PredictionType value) => NameOf(PredictionTypes, value);

    internal static string JsonName(TimestepSpacingKind value) => NameOf(Spacings, value);

    internal static string JsonName(InterpolationType value) => NameOf(Interpolations, value);

    internal static string JsonName(FinalSigmasType value) => NameOf(FinalSigmas, value);

    internal static string JsonName(VarianceType value) => NameOf(Variances, value);

    public static SchedulerConfig Read(JsonElement root)
    {
        var config = new SchedulerConfig();
        var otherKeys = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            var key = property.Name;
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            config = key switch
            {
                "_class_name" => config with { ClassName = String(key, value) },
                "num_train_timesteps" => config with { NumTrainTimesteps = Int(key, value) },
                "beta_start" => config with { BetaStart = Double(key, value) },
                "beta_end" => config with { BetaEnd = Double(key, value) },
                "beta_schedule" => config with { BetaSchedule = Enum(key, value, BetaSchedules) },
                "trained_betas" => config with { TrainedBetas = DoubleArray(key, value) },
                "prediction_type" => config with { PredictionType = Enum(key, value, PredictionTypes) },
                "timestep_spacing" => config with { TimestepSpacing = Enum(key, value, Spacings) },
                "steps_offset" => config with { StepsOffset = Int(key, value) },
                "use_karras_sigmas" => config with { UseKarrasSigmas = Bool(key, value) },
                "set_alpha_to_one" => config with { SetAlphaToOne = Bool(key, value) },
                "clip_sample" => config with { ClipSample = Bool(key, value) },
                "clip_sample_range" => config with { ClipSampleRange = Double(key, value) },
                "interpolation_type" => config with { InterpolationType = Enum(key, value, Interpolations) },
                "final_sigmas_type" => config with { FinalSigmasType = Enum(key, value, FinalSigmas) },
                "skip_prk_steps" => config with { SkipPrkSteps = Bool(key, value) },
                "original_inference_steps" => config with { OriginalInferenceSteps = Int(key, value) },
                "timestep_scaling" => config with { TimestepScaling = Double(key, value) },
                "solver_order" => config with { SolverOrder = Int(key, value) },
                "lower_order_final" => config with { LowerOrderFinal = Bool(key, value) },
                "euler_at_final" => config with { EulerAtFinal = Bool(key, value) },
                "variance_type" => IsOneOf(value, Variances) ? config with { VarianceType = Enum(key, value, Variances) } : Other(config, otherKeys, key, value),
                "algorithm_type" => config with { AlgorithmType = String(key, value) },
                "solver_type" => config with { SolverType = String(key, value) },
                "rescale_betas_zero_snr" => config with { RescaleBetasZeroSnr = Bool(key, value) },
                "use_lu_lambdas" => config with { UseLuLambdas = Bool(key, value) },
                "lambda_min_clipped" => config with { LambdaMinClipped = Double(key, value) },
                _ => Other(config, otherKeys, key, value),
            };
        }

        return otherKeys.Count == 0 ? config : config with { OtherKeys = otherKeys };
    }

    // Kept for the samplers to judge: the keys their diffusers class takes but this project does not implement.
    private static SchedulerConfig Other(SchedulerConfig config, Dictionary<string, JsonElement> otherKeys, string key, JsonElement value)
    {
        otherKeys[key] = value.Clone();
        return config;
    }

    private static bool IsOneOf<T>(JsonElement value, (string Json, T Value)[] allowed) =>
        value.ValueKind == JsonValueKind.String && allowed.Any(a => string.Equals(a.Json, value.GetString(), StringComparison.Ordinal));

    private static string String(string key, JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw WrongType(key, value, "a string");

    private static bool Bool(string key, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw WrongType(key, value, "true or false"),
    };

    private static double Double(string key, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),

        // Python's json writes -inf as the bare token -Infinity (diffusers' default lambda_min_clipped); Parse quotes it.
        JsonValueKind.String when value.GetString() is var text && PythonNonFiniteLiterals.Contains(text) => text switch
        {
            "-Infinity" => double.NegativeInfinity,
            "Infinity" => double.PositiveInfinity,
            _ => double.NaN,
        },
        _ => throw WrongType(key, value, "a number"),
    };

    private static readonly string[] PythonNonFiniteLiterals = ["-Infinity", "Infinity", "NaN"];

    /// <summary>
    /// Quotes the bare <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c> tokens Python's <c>json.dumps</c> writes outside strings,
    /// so the text parses as JSON; number keys read them back as doubles.
    /// </summary>
    public static string QuotePythonNonFiniteNumbers(string json)
    {
        if (!json.Contains("NaN", StringComparison.Ordinal) && !json.Contains("Infinity", StringComparison.Ordinal))
        {
            return json;
        }

        var result = new System.Text.StringBuilder(json.Length + 8);
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                result.Append(c);
                if (c == '\\' && i + 1 < json.Length)
                {
                    result.Append(json[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            if (c == '"')
            {
                inString = true;
                result.Append(c);
                continue;
            }

            var literal = Array.Find(PythonNonFiniteLiterals, l => string.CompareOrdinal(json, i, l, 0, l.Length) == 0);
            if (literal is not null)
            {
                result.Append('"').Append(literal).Append('"');
                i += literal.Length - 1;
                continue;
            }

            result.Append(c);
        }

        return result.ToString();
    }

    private static int Int(string key, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetInt32(out var i))
            {
                return i;
            }

            var d = value.GetDouble();
            if (d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
            {
                return (int)d;
            }
        }

        throw WrongType(key, value, "an integer");
    }

    private static double[] DoubleArray(string key, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(key, value, "an array of numbers");
        }

        var result = new double[value.GetArrayLength()];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            result[i++] = Double(key, item);
        }

        return result;
    }

    private static T Enum<T>(string key, JsonElement value, (string Json, T Value)[] allowed)
        where T : struct, Enum
    {
        var text = String(key, value);
        foreach (var (json, v) in allowed)
        {
            if (string.Equals(json, text, StringComparison.Ordinal))
            {
                return v;
            }
        }

        throw new SchedulerConfigException(key, $"'{text}' is not supported; expected one of {string.Join(", ", allowed.Select(a => a.Json))}");
    }

    private static string NameOf<T>((string Json, T Value)[] table, T value)
        where T : struct, Enum
    {
        foreach (var (json, v) in table)
        {
            if (EqualityComparer<T>.Default.Equals(v, value))
            {
                return json;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, "no JSON name");
    }

    private static SchedulerConfigException WrongType(string key, JsonElement value, string expected) =>
        new(key, $"expected {expected}, got {value.GetRawText()}");
}
