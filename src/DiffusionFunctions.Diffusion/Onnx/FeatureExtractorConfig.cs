using System.Text.Json;
using DiffusionFunctions.Diffusion.Imaging;

namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>
/// Reads a model folder's <c>feature_extractor/preprocessor_config.json</c> (transformers' CLIPImageProcessor settings: size,
/// crop, mean, std, resample, rescale factor) into a <see cref="ClipImageProcessor"/>. A folder without one gets
/// <see cref="ClipImageProcessor.StableDiffusionDefault"/> (Stable Diffusion 1.x's values); keys the file leaves out keep
/// transformers' CLIP defaults.
/// </summary>
public static class FeatureExtractorConfig
{
    /// <summary>The file's path inside a model folder.</summary>
    public static readonly string RelativePath = Path.Combine("feature_extractor", "preprocessor_config.json");

    /// <summary>Reads the folder's preprocessor config, or returns the default when it has none.</summary>
    /// <exception cref="ModelFolderException">The file is not JSON, or a value has the wrong type or range; the message names the file and key.</exception>
    public static ClipImageProcessor Read(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var path = Path.Combine(directory, RelativePath);
        if (!File.Exists(path))
        {
            return ClipImageProcessor.StableDiffusionDefault;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return Parse(document.RootElement, path);
        }
        catch (JsonException ex)
        {
            throw new ModelFolderException($"{path} is not valid JSON: {ex.Message}", ex);
        }
    }

    private static ClipImageProcessor Parse(JsonElement root, string path)
    {
        var result = ClipImageProcessor.StableDiffusionDefault;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ModelFolderException($"{path} must hold a JSON object.");
        }

        if (root.TryGetProperty("size", out var size))
        {
            result = size.ValueKind == JsonValueKind.Number
                ? result with { ShortestEdge = Side(size, path, "size") }
                : size.TryGetProperty("shortest_edge", out var edge)
                    ? result with { ShortestEdge = Side(edge, path, "size.shortest_edge") }
                    : result with
                    {
                        ShortestEdge = null,
                        ResizeHeight = Side(Required(size, "height", path, "size"), path, "size.height"),
                        ResizeWidth = Side(Required(size, "width", path, "size"), path, "size.width"),
                    };
        }

        if (root.TryGetProperty("crop_size", out var crop))
        {
            result = crop.ValueKind == JsonValueKind.Number
                ? result with { CropHeight = Side(crop, path, "crop_size"), CropWidth = Side(crop, path, "crop_size") }
                : result with
                {
                    CropHeight = Side(Required(crop, "height", path, "crop_size"), path, "crop_size.height"),
                    CropWidth = Side(Required(crop, "width", path, "crop_size"), path, "crop_size.width"),
                };
        }

        if (root.TryGetProperty("resample", out var resample))
        {
            if (resample.ValueKind != JsonValueKind.Number || !resample.TryGetInt32(out var filter)
                || filter is < (int)PilResampleFilter.Lanczos or > (int)PilResampleFilter.Hamming)
            {
                throw new ModelFolderException($"{path}: resample must be a PIL filter number 1-5 (3 = bicubic), not {resample.GetRawText()}; nearest (0) is not supported.");
            }

            result = result with { Resample = (PilResampleFilter)filter };
        }

        return result with
        {
            Resize = Flag(root, "do_resize", path) ?? result.Resize,
            CenterCrop = Flag(root, "do_center_crop", path) ?? result.CenterCrop,
            Rescale = Flag(root, "do_rescale", path) ?? result.Rescale,
            Normalize = Flag(root, "do_normalize", path) ?? result.Normalize,
            RescaleFactor = root.TryGetProperty("rescale_factor", out var factor) ? Positive(factor, path, "rescale_factor") : result.RescaleFactor,
            Mean = root.TryGetProperty("image_mean", out var mean) ? Triple(mean, path, "image_mean", allowZero: true) : result.Mean,
            Std = root.TryGetProperty("image_std", out var std) ? Triple(std, path, "image_std", allowZero: false) : result.Std,
        };
    }

    private static JsonElement Required(JsonElement parent, string key, string path, string parentName) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(key, out var value)
            ? value
            : throw new ModelFolderException($"{path}: {parentName} must be a number or an object with '{key}' (or 'shortest_edge'), not {parent.GetRawText()}.");

    private static int Side(JsonElement value, string path, string key) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var side) && side is >= 1 and <= 4096
            ? side
            : throw new ModelFolderException($"{path}: {key} must be a whole number of pixels from 1 to 4096, not {value.GetRawText()}.");

    private static bool? Flag(JsonElement root, string key, string path) =>
        !root.TryGetProperty(key, out var value) ? null
            : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
            : throw new ModelFolderException($"{path}: {key} must be true or false, not {value.GetRawText()}.");

    private static double Positive(JsonElement value, string path, string key) =>
        value.ValueKind == JsonValueKind.Number && value.GetDouble() is > 0 and var number && double.IsFinite(number)
            ? number
            : throw new ModelFolderException($"{path}: {key} must be a positive number, not {value.GetRawText()}.");

    private static double[] Triple(JsonElement value, string path, string key, bool allowZero)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 3
            || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number || !double.IsFinite(v.GetDouble()) || (!allowZero && v.GetDouble() <= 0)))
        {
            throw new ModelFolderException($"{path}: {key} must be three {(allowZero ? "" : "positive ")}numbers (R, G, B), not {value.GetRawText()}.");
        }

        return [.. value.EnumerateArray().Select(v => v.GetDouble())];
    }
}
