using System.Reflection;

namespace DiffusionFunctions.Deployment.Tests;

/// <summary>Where the repository and the NuGet cache are, as the build recorded them (assembly metadata).</summary>
internal static class RepositoryPaths
{
    public static string Root => Metadata("RepositoryRoot");

    public static string NuGetPackageRoot => Metadata("NuGetPackageRoot");

    public static string BicepCliVersion => Metadata("BicepCliVersion");

    public static string OnnxRuntimeGpuVersion => Metadata("OnnxRuntimeGpuVersion");

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string ReadText(params string[] parts) => System.IO.File.ReadAllText(File(parts));

    /// <summary>libonnxruntime_providers_cuda.so from the Microsoft.ML.OnnxRuntime.Gpu.Linux package the engine uses.</summary>
    public static string CudaProviderLibrary => Path.Combine(NuGetPackageRoot, "microsoft.ml.onnxruntime.gpu.linux",
        OnnxRuntimeGpuVersion, "runtimes", "linux-x64", "native", "libonnxruntime_providers_cuda.so");

    private static string Metadata(string key)
        => typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
           ?? throw new InvalidOperationException($"Assembly metadata '{key}' is missing (see the test project file).");
}
