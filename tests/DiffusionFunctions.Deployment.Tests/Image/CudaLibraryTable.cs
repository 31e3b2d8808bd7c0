namespace DiffusionFunctions.Deployment.Tests.Image;

/// <summary>infra/worker/cuda-libraries.tsv: the CUDA libraries the image ships, how the provider loads each, and where.</summary>
internal sealed record CudaLibrary(string Soname, string How, string Wheel, string Version, string Directory)
{
    public static IReadOnlyList<CudaLibrary> Load()
        => [.. File.ReadAllLines(RepositoryPaths.File("infra", "worker", "cuda-libraries.tsv"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .Select(f => f.Length == 5 ? new CudaLibrary(f[0], f[1], f[2], f[3], f[4]) : throw new InvalidDataException($"Bad row: {string.Join('|', f)}"))];
}
