using System.Text.Json;
using DiffusionFunctions.Core.Generation;

namespace DiffusionFunctions.Api.Models;

/// <summary>
/// Reads <see cref="ModelFolderFacts"/> from a diffusers/Optimum model folder's JSON files, the same way the engine reads
/// them (sizes, guidance, scheduler), without touching its ONNX files. Optional files fall back to the engine's defaults.
/// </summary>
public static class ModelFolderReader
{
    /// <summary>Reads the folder.</summary>
    /// <exception cref="ModelDescriptionException">The folder has no <c>model_index.json</c>, or a file is not valid JSON.</exception>
    public static ModelFolderFacts Read(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        using var index = Parse(folder, "model_index.json", required: true)!;
        var name = String(index.RootElement, "_name_or_path") is { Length: > 0 } given
            ? given
            : Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));

        var vaeScale = EngineDefaults.VaeScaleFactor;
        using (var vae = Parse(folder, Path.Combine("vae_decoder", "config.json")))
        {
            if (vae is not null && vae.RootElement.TryGetProperty("block_out_channels", out var blocks)
                && blocks.ValueKind == JsonValueKind.Array && blocks.GetArrayLength() > 0)
            {
                vaeScale = 1 << (blocks.GetArrayLength() - 1);
            }
        }

        var sampleSize = EngineDefaults.SampleSize;
        using (var unet = Parse(folder, Path.Combine("unet", "config.json")))
        {
            if (unet is not null && unet.RootElement.TryGetProperty("sample_size", out var size) && size.ValueKind == JsonValueKind.Number)
            {
                sampleSize = (int)size.GetDouble();
            }
        }

        var guidance = EngineDefaults.GuidanceScale;
        var steps = EngineDefaults.Steps;
        using (var generation = Parse(folder, "generation_config.json"))
        {
            if (generation is not null && generation.RootElement.TryGetProperty("guidance_scale", out var scale) && scale.ValueKind == JsonValueKind.Number)
            {
                guidance = scale.GetDouble();
            }

            if (generation is not null && generation.RootElement.TryGetProperty("num_inference_steps", out var stepCount) && stepCount.ValueKind != JsonValueKind.Null)
            {
                steps = DefaultSteps(folder, stepCount);
            }
        }

        string? schedulerClass = null;
        var karras = false;
        using (var scheduler = Parse(folder, Path.Combine("scheduler", "scheduler_config.json")))
        {
            if (scheduler is not null)
            {
                schedulerClass = String(scheduler.RootElement, "_class_name");
                karras = scheduler.RootElement.TryGetProperty("use_karras_sigmas", out var k) && k.ValueKind == JsonValueKind.True;
            }
        }

        return new ModelFolderFacts
        {
            Name = name,
            Pipeline = String(index.RootElement, "_class_name"),
            DefaultSize = sampleSize * vaeScale,
            DefaultGuidanceScale = guidance,
            DefaultSteps = steps,
            DefaultScheduler = SchedulerNames.ForDiffusersClass(schedulerClass, karras),
            Vocabulary = ReadVocabulary(folder),
        };
    }

    /// <summary>
    /// <c>num_inference_steps</c> as the engine takes it (a whole number from 1 to 500: Turbo and LCM folders say 1 to 4);
    /// anything else is refused here as the worker refuses to load the folder.
    /// </summary>
    private static int DefaultSteps(string folder, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && number is >= 1 and <= 500 && number == Math.Floor(number))
        {
            return (int)number;
        }

        throw new ModelDescriptionException(
            $"{Path.Combine(folder, "generation_config.json")}: 'num_inference_steps' must be a whole number from 1 to 500, not {value.GetRawText()}.");
    }

    private static List<string>? ReadVocabulary(string folder)
    {
        using var vocabulary = Parse(folder, "vocabulary.json");
        if (vocabulary is null)
        {
            return null;
        }

        if (!vocabulary.RootElement.TryGetProperty("words", out var words) || words.ValueKind != JsonValueKind.Array
            || words.EnumerateArray().Any(w => w.ValueKind != JsonValueKind.String))
        {
            throw new ModelDescriptionException($"{Path.Combine(folder, "vocabulary.json")} must be an object with a 'words' array of strings.");
        }

        return [.. words.EnumerateArray().Select(w => w.GetString()!.ToLowerInvariant()).Distinct(StringComparer.Ordinal)];
    }

    private static string? String(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static JsonDocument? Parse(string folder, string relative, bool required = false)
    {
        var path = Path.Combine(folder, relative);
        if (!File.Exists(path))
        {
            return required ? throw new ModelDescriptionException($"{folder} is not a model folder: it has no {relative}.") : null;
        }

        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException ex)
        {
            throw new ModelDescriptionException($"{path} is not valid JSON: {ex.Message}", ex);
        }
    }
}
