using System.Diagnostics;
using System.Text.Json.Nodes;

namespace DiffusionFunctions.Deployment.Tests.Bicep;

/// <summary>
/// The Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 NuGet package (a PackageDownload of this project), run on a
/// file. Any diagnostic (error or warning, the linter's included: bicep/bicepconfig.json) is a failure.
/// </summary>
internal static class BicepCli
{
    public static string Executable
    {
        get
        {
            var path = Path.Combine(RepositoryPaths.NuGetPackageRoot, "azure.bicep.commandline.linux-x64",
                RepositoryPaths.BicepCliVersion, "tools", "bicep");
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"The Bicep CLI is not in the NuGet cache at {path}; restore this project.", path);
            }

            if (OperatingSystem.IsLinux() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
            }

            return path;
        }
    }

    /// <summary>Compiles a .bicep file to ARM JSON.</summary>
    public static JsonObject Build(string bicepFile) => Run("build", bicepFile).AsObject();

    /// <summary>Compiles a .bicepparam file; returns the parameters JSON (the "parametersJson" of --stdout).</summary>
    public static JsonObject BuildParams(string paramFile, IDictionary<string, string>? environment = null)
    {
        var output = Run("build-params", paramFile, environment).AsObject();
        var parameters = output["parametersJson"]?.GetValue<string>()
                         ?? throw new InvalidOperationException("bicep build-params printed no parametersJson.");
        return JsonNode.Parse(parameters)!.AsObject();
    }

    /// <summary>
    /// <c>bicep snapshot</c> of main.bicep with <paramref name="parameters"/> (the body of a .bicepparam file after its
    /// <c>using</c> line): the resources a deployment would create, loops and modules expanded, in a resource group
    /// <c>rg-test</c> of a fixed subscription. Nothing is contacted.
    /// </summary>
    public static JsonObject Snapshot(string parameters)
    {
        var folder = Directory.CreateTempSubdirectory("dfx-bicep-snapshot-");
        try
        {
            var main = Path.GetRelativePath(folder.FullName, RepositoryPaths.File("bicep", "main.bicep")).Replace('\\', '/');
            var paramFile = Path.Combine(folder.FullName, "deployment.bicepparam");
            File.WriteAllText(paramFile, $"using '{main}'\n\n{parameters}\n");
            Execute(["snapshot", paramFile, "--mode", "overwrite", "--subscription-id", SnapshotSubscription, "--resource-group", "rg-test", "--location", "swedencentral"]);
            return JsonNode.Parse(File.ReadAllText(Path.Combine(folder.FullName, "deployment.snapshot.json")))!.AsObject();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The subscription id <see cref="Snapshot"/> deploys into.</summary>
    public const string SnapshotSubscription = "00000000-0000-0000-0000-000000000001";

    private static JsonNode Run(string verb, string file, IDictionary<string, string>? environment = null)
    {
        var stdout = Execute([verb, file, "--stdout"], environment);
        return JsonNode.Parse(stdout) ?? throw new InvalidOperationException($"bicep {verb} printed no JSON.");
    }

    private static string Execute(IReadOnlyList<string> arguments, IDictionary<string, string>? environment = null)
    {
        var verb = arguments[0];
        var file = arguments[1];
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry and no registry look-ups from a test run.
        start.Environment["BICEP_TRACING_ENABLED"] = "false";
        start.Environment["BICEP_TELEMETRY_DISABLED"] = "true";
        // azd's variables of the developer's shell must not leak into the compiled parameters.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("AZURE_", StringComparison.Ordinal)
                     || k.StartsWith("DFX_", StringComparison.Ordinal) || k.StartsWith("SERVICE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the Bicep CLI.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {verb} {file} took more than 3 minutes.");
        }

        var diagnostics = stderr.Result.Trim();
        if (process.ExitCode != 0 || diagnostics.Length > 0)
        {
            throw new BicepDiagnosticsException($"bicep {verb} {Path.GetRelativePath(RepositoryPaths.Root, file)} exited {process.ExitCode}:\n{diagnostics}");
        }

        return stdout.Result;
    }
}

/// <summary>The Bicep CLI reported errors or warnings.</summary>
internal sealed class BicepDiagnosticsException(string message) : Exception(message);
