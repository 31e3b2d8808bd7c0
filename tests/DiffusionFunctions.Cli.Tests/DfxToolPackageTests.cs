using System.Diagnostics;
using DiffusionFunctions.Cli.Commands;

namespace DiffusionFunctions.Cli.Tests;

/// <summary>
/// The CLI README's tool install, as written: <c>dotnet pack</c> into a folder, <c>dotnet tool install --tool-path</c> from
/// it, and the installed <c>dfx --version</c> and a generation with the shipped model it carries. It takes about a minute
/// and about 3 GB of disk for a while (the publish folder, a 600 MB package and the installed tool: the package holds ONNX
/// Runtime's native libraries for every platform), so it runs when <c>DFX_TEST_TOOL_PACKAGE=1</c> is set and is skipped
/// (reported as skipped) otherwise.
/// </summary>
public sealed class DfxToolPackageTests
{
    [ToolPackageFact]
    public async Task The_packed_tool_installs_from_a_local_folder_and_runs()
    {
        using var work = new TempFolder();
        var package = Path.Combine(work.Path, "pkg");
        var tools = Path.Combine(work.Path, "tool");
        var project = Path.Combine(RepositoryRoot(), "src", "DiffusionFunctions.Cli", "DiffusionFunctions.Cli.csproj");
        var configuration = string.Equals(new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name, "debug", StringComparison.OrdinalIgnoreCase) ? "Debug" : "Release";

        await RunAsync("dotnet", "pack", project, "-c", configuration, "--no-build", "-o", package);
        await RunAsync("dotnet", "tool", "install", "--tool-path", tools, "--add-source", package, "--ignore-failed-sources", "dfx");
        var version = await RunAsync(Path.Combine(tools, "dfx"), "--version");
        var images = Path.Combine(work.Path, "images");
        var generated = await RunAsync(Path.Combine(tools, "dfx"), "generate", "--prompt", "a red circle on a white background", "--seed", "2", "--steps", "2", "--provider", "cpu", "--out", images);

        Assert.Equal(HelpWriter.Version(), version.Trim());
        Assert.StartsWith(Path.Combine(images, "a-red-circle-on-a-white-background-2.png") + "\n", generated, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "DiffusionFunctions.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("DiffusionFunctions.sln not found above " + AppContext.BaseDirectory);
    }

    private static async Task<string> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program == "dotnet" ? Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
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

        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} exited {process.ExitCode}:\n{await output}\n{await error}");
        return await output;
    }
}

/// <summary>A fact that runs only when <c>DFX_TEST_TOOL_PACKAGE=1</c>.</summary>
internal sealed class ToolPackageFactAttribute : FactAttribute
{
    public ToolPackageFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("DFX_TEST_TOOL_PACKAGE") != "1")
        {
            Skip = "set DFX_TEST_TOOL_PACKAGE=1 to pack and install the tool (about a minute and 3 GB of temporary disk)";
        }
    }
}
