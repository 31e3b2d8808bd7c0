using System.Diagnostics;

namespace DiffusionFunctions.Cli.Tests;

/// <summary>
/// Runs the built dfx as a child process with its output redirected to pipes, as in a CI log or <c>dfx ... | tee</c>: the
/// real <c>Program</c> with its console set-up, and ONNX Runtime's native log on the real standard error.
/// </summary>
internal static class DfxProcess
{
    /// <summary>
    /// dfx as built in its own output folder (artifacts/bin/DiffusionFunctions.Cli/CONFIG/), with its own deps.json: the
    /// copy beside the tests resolves assemblies against the test project's dependency versions.
    /// </summary>
    public static string DfxDll { get; } = FindDfx();

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(DfxDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }

    private static string FindDfx()
    {
        var testFolder = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var own = Path.Combine(testFolder.Parent!.Parent!.FullName, "DiffusionFunctions.Cli", testFolder.Name, "dfx.dll");
        return File.Exists(own) ? own : throw new FileNotFoundException($"dfx is not built at {own}; build src/DiffusionFunctions.Cli first.", own);
    }
}
