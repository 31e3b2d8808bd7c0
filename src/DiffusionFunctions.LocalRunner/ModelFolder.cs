using DiffusionFunctions.Diffusion.Onnx;

namespace DiffusionFunctions.LocalRunner;

/// <summary>
/// Picks the model folder: <c>--model</c> (for example <c>models/sd15-onnx</c> from <c>infra/scripts/download-model.sh</c>),
/// else the shipped <c>models/tiny-shapes</c> model of the checkout (trained on simple logo-like scenes, 64x64).
/// </summary>
internal static class ModelFolder
{
    public static string Prepare(string root, string? requested)
    {
        if (requested is not null)
        {
            var path = Path.GetFullPath(requested, root);
            return File.Exists(Path.Combine(path, "model_index.json"))
                ? path
                : throw new InvalidOperationException($"--model '{path}' has no model_index.json.");
        }

        var shipped = Path.Combine(root, ShippedModel.RelativePath);
        if (!File.Exists(Path.Combine(shipped, "model_index.json")))
        {
            throw new InvalidOperationException($"the shipped model {shipped} is missing (is this a full checkout?); pass --model DIR.");
        }

        Console.WriteLine($"local-run: model {shipped} (the shipped tiny-shapes model; --model models/sd15-onnx --size 512 for SD 1.5)");
        return shipped;
    }
}
