using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Api.Models;

/// <summary>Finds the model folder the API describes (see <see cref="ModelDescriptionOptions.Path"/> for the order).</summary>
public sealed class ModelFolderLocator(IOptions<ModelDescriptionOptions> options, IConfiguration configuration)
{
    /// <summary>The worker's model setting, used when the API's own is unset and both apps share settings.</summary>
    public const string WorkerModelPathSetting = "DiffusionFunctions:Worker:ModelPath";

    /// <summary>The shipped model's folder, relative to the application directory.</summary>
    public static readonly string ShippedRelativePath = System.IO.Path.Combine("models", "tiny-shapes");

    /// <summary>The folder, or null when no setting names one and the shipped model's description is not beside the application.</summary>
    public string? Locate()
    {
        if (!options.Value.Publish)
        {
            return null;
        }

        if (options.Value.Path is { Length: > 0 } configured)
        {
            return Resolve(configured);
        }

        if (configuration[WorkerModelPathSetting] is { Length: > 0 } workerPath)
        {
            return Resolve(workerPath);
        }

        var beside = System.IO.Path.Combine(AppContext.BaseDirectory, ShippedRelativePath);
        return IsModelFolder(beside) ? beside : null;
    }

    /// <summary>Whether <paramref name="path"/> holds a <c>model_index.json</c>.</summary>
    public static bool IsModelFolder(string path) => File.Exists(System.IO.Path.Combine(path, "model_index.json"));

    /// <summary>An absolute path or one that exists from the current directory stays; otherwise it is tried beside the application.</summary>
    public static string Resolve(string path)
    {
        if (System.IO.Path.IsPathRooted(path) || IsModelFolder(path))
        {
            return System.IO.Path.GetFullPath(path);
        }

        var beside = System.IO.Path.Combine(AppContext.BaseDirectory, path);
        return IsModelFolder(beside) ? beside : System.IO.Path.GetFullPath(path);
    }
}
