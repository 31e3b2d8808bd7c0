namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>
/// The model that ships with the project: <c>models/tiny-shapes</c>, a small latent diffusion model trained on simple
/// logo-like scenes (64x64). Hosts that build with it (dfx, the worker) get a copy next to their binaries; a checkout has
/// it at the repository root. It is the default wherever no model folder is configured.
/// </summary>
public static class ShippedModel
{
    /// <summary>The folder name under <c>models/</c>.</summary>
    public const string Name = "tiny-shapes";

    /// <summary>The path of the folder relative to the application directory or the repository root.</summary>
    public static string RelativePath { get; } = Path.Combine("models", Name);

    /// <summary>
    /// Finds the shipped model folder: next to the running application first (<see cref="AppContext.BaseDirectory"/>),
    /// then in <paramref name="startDirectory"/> (the current directory when null) or any folder above it.
    /// </summary>
    /// <returns>The full path of the folder, or null when none of those places has it.</returns>
    public static string? Locate(string? startDirectory = null)
    {
        if (BesideApplication(RelativePath) is { } beside)
        {
            return beside;
        }

        for (var directory = new DirectoryInfo(startDirectory ?? Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, RelativePath);
            if (IsModelFolder(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Resolves a configured model path: absolute paths and paths that exist from the current directory stay as they are;
    /// a relative path that does not is tried against the application directory (where hosts copy the shipped model).
    /// </summary>
    public static string ResolveConfiguredPath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Path.IsPathRooted(path) || IsModelFolder(path))
        {
            return path;
        }

        return BesideApplication(path) ?? path;
    }

    // The full path of relativePath under the application directory when a model folder is there.
    private static string? BesideApplication(string relativePath)
    {
        var beside = Path.Combine(AppContext.BaseDirectory, relativePath);
        return IsModelFolder(beside) ? Path.GetFullPath(beside) : null;
    }

    private static bool IsModelFolder(string path) => File.Exists(Path.Combine(path, "model_index.json"));
}
