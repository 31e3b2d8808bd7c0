using DiffusionFunctions.ModelGeneration;

namespace DiffusionFunctions.LocalRunner;

/// <summary>
/// Picks the model folder: <c>--model</c>, else <c>models/sd15-onnx</c> when <c>infra/scripts/download-model.sh</c> put
/// one there, else a generated tiny model (random weights: the image is noise-like, but every stage runs) written once
/// to <c>$TMPDIR/dfx-local-models/tiny</c> (outside the working tree).
/// </summary>
internal static class ModelFolder
{
    public static async Task<string> PrepareAsync(string root, string? requested, CancellationToken cancellationToken)
    {
        if (requested is not null)
        {
            var path = Path.GetFullPath(requested, root);
            return File.Exists(Path.Combine(path, "model_index.json"))
                ? path
                : throw new InvalidOperationException($"--model '{path}' has no model_index.json.");
        }

        var downloaded = Path.Combine(root, "models", "sd15-onnx");
        if (File.Exists(Path.Combine(downloaded, "model_index.json")))
        {
            Console.WriteLine($"local-run: model {downloaded} (downloaded SD 1.5 ONNX export)");
            return downloaded;
        }

        var tiny = Path.Combine(Path.GetTempPath(), "dfx-local-models", "tiny");
        if (!File.Exists(Path.Combine(tiny, "model_index.json")))
        {
            Console.WriteLine($"local-run: generating the tiny test model into {tiny} (no models/sd15-onnx; fetch one with infra/scripts/download-model.sh)");
            var scratch = tiny + "." + Environment.ProcessId + ".tmp";
            await StableDiffusionModelGenerator.WriteAsync(
                scratch, ModelPreset.Tiny, ModelVariant.Default, GeneratedModelCache.DefaultSeed, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (Directory.Exists(tiny))
            {
                Directory.Delete(tiny, recursive: true);
            }

            Directory.Move(scratch, tiny);
        }
        else
        {
            Console.WriteLine($"local-run: model {tiny} (generated tiny model)");
        }

        cancellationToken.ThrowIfCancellationRequested();
        return tiny;
    }
}
