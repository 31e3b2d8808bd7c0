using System.Reflection;
using DiffusionFunctions.TestSupport;

namespace DiffusionFunctions.Hosting.Tests.RealHost;

/// <summary>
/// Where things the real-host check runs are: the two apps' build outputs of this configuration (recorded at build time
/// by this project, which references both apps so they are built first), their sample settings, and the Functions host
/// tool beside the repository (<c>../shared/tools/functions-host</c>).
/// </summary>
public static class FunctionAppBuildOutputs
{
    /// <summary>The API app's build output (<c>artifacts/bin/DiffusionFunctions.Api/release</c> for Release).</summary>
    public static string Api => Existing("ApiBuildOutput");

    /// <summary>The worker app's build output (with <c>models/tiny-shapes</c> copied beside its binaries).</summary>
    public static string Worker => Existing("WorkerBuildOutput");

    /// <summary>The API's <c>local.settings.sample.json</c>, what a user copies to <c>local.settings.json</c> for <c>func start</c>.</summary>
    public static string ApiSampleSettings => Path.Combine(RepositoryPaths.Root, "src", "DiffusionFunctions.Api", "local.settings.sample.json");

    /// <summary>The worker's <c>local.settings.sample.json</c>.</summary>
    public static string WorkerSampleSettings => Path.Combine(RepositoryPaths.Root, "src", "DiffusionFunctions.Worker", "local.settings.sample.json");

    /// <summary><c>../shared/tools/functions-host/run-host.sh</c>, which runs a build output in the Functions host as <c>func start</c> would.</summary>
    public static string RunHostScript
    {
        get
        {
            var script = Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "tools", "functions-host", "run-host.sh"));
            if (!File.Exists(script))
            {
                throw new FileNotFoundException(
                    $"The Azure Functions host tool is missing at '{script}'. The real-host check expects the 'shared' folder beside the repository.", script);
            }

            return script;
        }
    }

    private static string Existing(string key)
    {
        var recorded = typeof(FunctionAppBuildOutputs).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == key).Value!;
        var folder = Path.GetFullPath(recorded);
        if (!File.Exists(Path.Combine(folder, "functions.metadata")) || !File.Exists(Path.Combine(folder, "worker.config.json")))
        {
            throw new DirectoryNotFoundException(
                $"'{folder}' is not a built function app (no functions.metadata and worker.config.json); build the solution first.");
        }

        return folder;
    }
}
