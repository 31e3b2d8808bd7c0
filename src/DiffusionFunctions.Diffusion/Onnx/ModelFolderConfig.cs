using System.Globalization;
using System.Text.Json;

namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>
/// The JSON files of a model folder that steer the pipeline: <c>model_index.json</c> (parts, name), <c>vae_decoder/config.json</c>
/// (scaling factor, block count), <c>unet/config.json</c> (sample size). Missing optional keys take diffusers' defaults.
/// </summary>
internal sealed record ModelFolderConfig
{
    /// <summary>diffusers' default VAE scaling factor for SD 1.x/2.x.</summary>
    public const float DefaultVaeScalingFactor = 0.18215f;

    public required string Name { get; init; }

    public required string? PipelineClassName { get; init; }

    /// <summary>Parts model_index.json names with a non-null entry (e.g. "safety_checker").</summary>
    public required IReadOnlySet<string> DeclaredParts { get; init; }

    /// <summary>Parts model_index.json names with a null entry (explicitly absent).</summary>
    public required IReadOnlySet<string> NullParts { get; init; }

    public required float VaeScalingFactor { get; init; }

    /// <summary>Pixels per latent cell: 2^(len(block_out_channels) - 1) of the VAE config, 8 by default.</summary>
    public required int VaeScaleFactor { get; init; }

    /// <summary>unet/config.json sample_size, if present.</summary>
    public required int? UnetSampleSize { get; init; }

    /// <summary>
    /// The guidance scale the model was made for: <c>guidance_scale</c> in the optional <c>generation_config.json</c> at the
    /// folder root (the name of diffusers' pipeline argument), else diffusers' default 7.5.
    /// </summary>
    public required double DefaultGuidanceScale { get; init; }

    /// <summary><c>guidance_rescale</c> from <c>generation_config.json</c>, else 0 (diffusers' default: off).</summary>
    public required double DefaultGuidanceRescale { get; init; }

    /// <summary><c>num_inference_steps</c> from <c>generation_config.json</c> (1-500), else null (the engine's 25).</summary>
    public int? DefaultSteps { get; init; }

    /// <summary>
    /// model_index.json <c>force_zeros_for_empty_prompt</c> (SDXL: an empty negative prompt conditions on zeros, not on the
    /// encoded empty text); null when the key is absent (the family's default applies).
    /// </summary>
    public bool? ForceZerosForEmptyPrompt { get; init; }

    /// <summary>model_index.json <c>requires_aesthetics_score</c> (the SDXL refiner's 5-value time ids); null when absent.</summary>
    public bool? RequiresAestheticsScore { get; init; }

    /// <summary>vae_decoder/config.json <c>force_upcast</c> (diffusers' default true: the VAE overflows in float16).</summary>
    public bool VaeForceUpcast { get; init; } = true;

    /// <summary>diffusers' default <c>guidance_scale</c>.</summary>
    public const double DiffusersDefaultGuidanceScale = 7.5;

    public static ModelFolderConfig Read(string directory)
    {
        var indexPath = Path.Combine(directory, "model_index.json");
        if (!File.Exists(indexPath))
        {
            throw new ModelFolderException($"model_index.json is missing in {directory}.");
        }

        using var index = ParseJson(indexPath, "model_index.json");
        var declared = new HashSet<string>(StringComparer.Ordinal);
        var nulls = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in index.RootElement.EnumerateObject())
        {
            if (property.Name.StartsWith('_'))
            {
                continue;
            }

            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                var isNull = property.Value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Null);
                (isNull ? nulls : declared).Add(property.Name);
            }
            else if (property.Value.ValueKind == JsonValueKind.Null)
            {
                nulls.Add(property.Name);
            }
        }

        var name = GetString(index.RootElement, "_name_or_path") is { Length: > 0 } n ? n : Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
        float? scaling = GetNumber(index.RootElement, "vae_scaling_factor", "model_index.json");
        var vaeScale = 8;
        var forceUpcast = true;
        var vaeConfigPath = Path.Combine(directory, "vae_decoder", "config.json");
        if (File.Exists(vaeConfigPath))
        {
            using var vae = ParseJson(vaeConfigPath, "vae_decoder/config.json");
            scaling = GetNumber(vae.RootElement, "scaling_factor", "vae_decoder/config.json") ?? scaling;
            if (vae.RootElement.TryGetProperty("force_upcast", out var upcast) && upcast.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                forceUpcast = upcast.GetBoolean();
            }

            if (vae.RootElement.TryGetProperty("block_out_channels", out var blocks) && blocks.ValueKind == JsonValueKind.Array && blocks.GetArrayLength() > 0)
            {
                vaeScale = 1 << (blocks.GetArrayLength() - 1);
            }
        }

        int? sampleSize = null;
        var unetConfigPath = Path.Combine(directory, "unet", "config.json");
        if (File.Exists(unetConfigPath))
        {
            using var unet = ParseJson(unetConfigPath, "unet/config.json");
            if (GetNumber(unet.RootElement, "sample_size", "unet/config.json") is { } size)
            {
                sampleSize = (int)size;
            }
        }

        double guidance = DiffusersDefaultGuidanceScale;
        double rescale = 0;
        int? steps = null;
        var generationConfigPath = Path.Combine(directory, "generation_config.json");
        if (File.Exists(generationConfigPath))
        {
            using var generation = ParseJson(generationConfigPath, "generation_config.json");
            guidance = GetBoundedNumber(generation.RootElement, "guidance_scale", "generation_config.json", 0, 50) ?? guidance;
            rescale = GetBoundedNumber(generation.RootElement, "guidance_rescale", "generation_config.json", 0, 1) ?? rescale;
            steps = GetBoundedNumber(generation.RootElement, "num_inference_steps", "generation_config.json", 1, 500) is { } stepCount
                ? (int)stepCount == stepCount ? (int)stepCount : throw new ModelFolderException($"generation_config.json: 'num_inference_steps' must be a whole number, not {stepCount}.")
                : null;
        }

        if (scaling is <= 0 or float.NaN)
        {
            throw new ModelFolderException($"vae_decoder/config.json: scaling_factor must be positive, not {scaling}.");
        }

        return new ModelFolderConfig
        {
            Name = name,
            PipelineClassName = GetString(index.RootElement, "_class_name"),
            DeclaredParts = declared,
            NullParts = nulls,
            VaeScalingFactor = scaling ?? DefaultVaeScalingFactor,
            VaeScaleFactor = vaeScale,
            UnetSampleSize = sampleSize,
            DefaultGuidanceScale = guidance,
            DefaultGuidanceRescale = rescale,
            DefaultSteps = steps,
            ForceZerosForEmptyPrompt = GetBool(index.RootElement, "force_zeros_for_empty_prompt"),
            RequiresAestheticsScore = GetBool(index.RootElement, "requires_aesthetics_score"),
            VaeForceUpcast = forceUpcast,
        };
    }

    private static JsonDocument ParseJson(string path, string displayName)
    {
        try
        {
            var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new ModelFolderException($"{displayName} is not a JSON object.");
            }

            return document;
        }
        catch (JsonException ex)
        {
            throw new ModelFolderException($"{displayName} is not valid JSON: {ex.Message}", ex);
        }
    }

    private static bool? GetBool(JsonElement root, string key) =>
        root.TryGetProperty(key, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    private static string? GetString(JsonElement root, string key) =>
        root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // A finite number from min to max when present, rounded to 4 decimals (the JSON's float read back as written).
    private static double? GetBoundedNumber(JsonElement root, string key, string file, double min, double max)
    {
        if (GetNumber(root, key, file) is not { } value)
        {
            return null;
        }

        if (!float.IsFinite(value) || value < min || value > max)
        {
            throw new ModelFolderException(string.Create(CultureInfo.InvariantCulture, $"{file}: '{key}' must be {min}-{max}, not {value}."));
        }

        return Math.Round(value, 4);
    }

    private static float? GetNumber(JsonElement root, string key, string file)
    {
        if (!root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new ModelFolderException(string.Create(CultureInfo.InvariantCulture, $"{file}: '{key}' must be a number, not {value.ValueKind}."));
        }

        return value.GetSingle();
    }
}
