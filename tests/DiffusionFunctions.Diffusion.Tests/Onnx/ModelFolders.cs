using DiffusionFunctions.ModelGeneration;

namespace DiffusionFunctions.Diffusion.Tests.Onnx;

/// <summary>Generated tiny model folders for tests, and disposable copies that tests may break.</summary>
internal static class ModelFolders
{
    public static Task<string> TinyAsync(ModelVariant? variant = null) => GeneratedModelCache.GetTinyAsync(variant);

    /// <summary>Copies a cached folder to a fresh temp folder (deleted on dispose) so a test can delete or replace files.</summary>
    public static async Task<TempFolder> CopyOfTinyAsync(ModelVariant? variant = null)
    {
        var source = await TinyAsync(variant);
        var target = Path.Combine(Path.GetTempPath(), "dfx-broken-" + Guid.NewGuid().ToString("N"));
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return new TempFolder(target);
    }
}

/// <summary>A temp folder deleted on dispose.</summary>
internal sealed class TempFolder(string path) : IDisposable
{
    public string Path { get; } = path;

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
