using DiffusionFunctions.Diffusion.Onnx;

namespace DiffusionFunctions.Diffusion.Families;

/// <summary>
/// Picks a folder's <see cref="ModelFamily"/> from <c>model_index.json</c> (<c>_class_name</c>, declared parts,
/// <c>force_zeros_for_empty_prompt</c>, <c>requires_aesthetics_score</c>) and the component folders present, before any
/// session is created. A folder whose index and components disagree fails here, naming the file.
/// </summary>
internal static class ModelFamilyDetector
{
    public static ModelFamily Detect(string directory, ModelFolderConfig config)
    {
        var className = config.PipelineClassName ?? "";
        var declaresXl = className.Contains("StableDiffusionXL", StringComparison.Ordinal);
        var hasEncoder2 = Present(directory, config, "text_encoder_2");
        var hasEncoder1 = Present(directory, config, "text_encoder");
        if (declaresXl && !hasEncoder2)
        {
            throw new ModelFolderException(
                $"model_index.json: _class_name '{className}' is an SDXL pipeline but text_encoder_2/model.onnx is missing.");
        }

        if (!hasEncoder2)
        {
            return StableDiffusionFamily.Instance;
        }

        if (className.Length > 0 && !declaresXl && !className.Contains("LatentConsistency", StringComparison.Ordinal))
        {
            throw new ModelFolderException(
                $"model_index.json: _class_name '{className}' is not an SDXL pipeline but the folder has text_encoder_2/ (the SDXL layout); the folder mixes layouts.");
        }

        if (!System.IO.Directory.Exists(Path.Combine(directory, "tokenizer_2")))
        {
            throw new ModelFolderException($"tokenizer_2/ is missing in {directory}; SDXL's text_encoder_2 needs its own tokenizer.");
        }

        var refiner = !hasEncoder1;
        if (config.RequiresAestheticsScore is { } aesthetic && aesthetic != refiner)
        {
            throw new ModelFolderException(
                $"model_index.json: requires_aesthetics_score is {(aesthetic ? "true" : "false")} but the folder {(refiner ? "has no text_encoder/ (the refiner layout)" : "has text_encoder/ (the base layout)")}.");
        }

        return StableDiffusionXlFamily.Create(refiner, config.ForceZerosForEmptyPrompt);
    }

    // A part counts as present when model_index.json declares it (non-null) or its model.onnx exists; a null entry means absent.
    private static bool Present(string directory, ModelFolderConfig config, string part) =>
        !config.NullParts.Contains(part)
        && (config.DeclaredParts.Contains(part) || File.Exists(Path.Combine(directory, part, "model.onnx")));
}
