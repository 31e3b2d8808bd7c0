namespace DiffusionFunctions.ModelGeneration;

/// <summary>
/// Finds OpenAI's CLIP merge list (<c>bpe_simple_vocab_16e6.txt.gz</c>): the <c>DFX_CLIP_BPE</c> environment variable,
/// else <c>shared/data/clip/</c> in or above the application folder, the current folder, or the source tree the
/// library was built from (the repository's sibling <c>shared</c> folder is found this way from any build output).
/// </summary>
public static class ClipVocabularyLocator
{
    /// <summary>The environment variable that names the file explicitly.</summary>
    public const string EnvironmentVariable = "DFX_CLIP_BPE";

    /// <summary>The file name.</summary>
    public const string FileName = "bpe_simple_vocab_16e6.txt.gz";

    /// <summary>Returns the path, or throws <see cref="FileNotFoundException"/> saying where it looked.</summary>
    public static string Find()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new FileNotFoundException($"{EnvironmentVariable} names '{configured}', which does not exist.", configured);
        }

        var sourceRoot = typeof(ClipVocabularyLocator).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .OfType<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "DiffusionFunctions.SourceRoot")?.Value;
        var starts = new[] { AppContext.BaseDirectory, Environment.CurrentDirectory, sourceRoot }.OfType<string>().ToArray();
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data", "clip", FileName);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException(
            $"Could not find {FileName}: set {EnvironmentVariable} or pass ModelGenerationRequest.ClipBpeVocabularyPath (searched shared/data/clip above {string.Join(", ", starts.Select(s => $"'{s}'"))}).",
            FileName);
    }
}
