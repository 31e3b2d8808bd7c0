namespace DiffusionFunctions.LocalRunner;

/// <summary>Finds the repository root (the folder holding DiffusionFunctions.sln) from the current directory.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DiffusionFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run this from inside the DiffusionFunctions repository (no DiffusionFunctions.sln found above the current directory).");
    }
}
