namespace DiffusionFunctions.TestSupport;

/// <summary>Locates the repository root and the shared reference data that sits beside it (<c>../shared</c>).</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The repository root: the folder holding <c>DiffusionFunctions.sln</c>.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary><c>../shared/data</c> relative to the repository root.</summary>
    public static string SharedData => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));

    /// <summary>The real OpenAI CLIP BPE merge list (<c>../shared/data/clip/bpe_simple_vocab_16e6.txt.gz</c>).</summary>
    public static string ClipBpeVocabulary
    {
        get
        {
            var path = Path.Combine(SharedData, "clip", "bpe_simple_vocab_16e6.txt.gz");
            if (!File.Exists(path))
            {
                throw new FileNotFoundException(
                    $"The CLIP reference vocabulary is missing at '{path}'. Tests expect the 'shared' folder beside the repository.", path);
            }

            return path;
        }
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DiffusionFunctions.sln")))
        {
            dir = dir.Parent;
        }

        if (dir is not null)
        {
            return dir.FullName;
        }

        // Build output outside the checkout (a custom ArtifactsPath): use the root recorded at build time.
        var recorded = typeof(RepositoryPaths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (recorded is not null && File.Exists(Path.Combine(recorded, "DiffusionFunctions.sln")))
        {
            return recorded;
        }

        throw new InvalidOperationException(
            $"Could not find DiffusionFunctions.sln above '{AppContext.BaseDirectory}' or at the recorded root '{recorded}'.");
    }
}
