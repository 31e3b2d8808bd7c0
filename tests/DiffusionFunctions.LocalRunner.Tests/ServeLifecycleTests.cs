using System.Diagnostics;
using System.Net.Sockets;

namespace DiffusionFunctions.LocalRunner.Tests;

/// <summary>
/// <c>--serve</c> from start to Ctrl-C (issue 14, item 3): it prints the base URL, the placeholder key and a curl line
/// that works as printed; it stays up after the job; Ctrl-C stops it with exit 0, closes the port, and removes the
/// private Azurite's data folder.
/// </summary>
public sealed class ServeLifecycleTests
{
    [Fact]
    public async Task Serve_prints_a_working_curl_line_stays_up_and_cleans_up_on_ctrl_c()
    {
        await using var serve = await ServeProcess.StartAsync();
        Assert.Equal("127.0.0.1", serve.Api.Host);
        Assert.Equal("/api", serve.Api.AbsolutePath);
        Assert.True(Directory.Exists(serve.AzuriteDataFolder), serve.AzuriteDataFolder);
        var key = await serve.Runner.WaitForLineAsync("local-run: key: ", TimeSpan.FromSeconds(5));
        Assert.Contains(ServeBanner.PlaceholderKey, key, StringComparison.Ordinal);
        Assert.Contains("does not check function keys", key, StringComparison.Ordinal);

        // The printed curl line, run as printed (Prefer: wait, so its answer is the finished job).
        var curl = (await serve.Runner.WaitForLineAsync("  curl ", TimeSpan.FromSeconds(5))).Trim();
        var first = await RunBashAsync(curl);
        Assert.Contains("\"status\":\"succeeded\"", first, StringComparison.Ordinal);

        // Still up after the job: a second one works too.
        Assert.Contains("\"status\":\"succeeded\"", await RunBashAsync(curl), StringComparison.Ordinal);
        Assert.False(serve.Runner.HasExited);

        Assert.Equal(0, await serve.InterruptAsync());
        Assert.Contains("SIGINT received, stopping", serve.Runner.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(serve.AzuriteDataFolder), $"{serve.AzuriteDataFolder} was left behind");
        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync(serve.Api.Host, serve.Api.Port));
    }

    [Fact]
    public async Task Sigterm_stops_it_as_cleanly_as_ctrl_c()
    {
        await using var serve = await ServeProcess.StartAsync();
        Assert.Equal(0, await serve.Runner.SignalAndWaitAsync("TERM", TimeSpan.FromSeconds(60)));
        Assert.False(Directory.Exists(serve.AzuriteDataFolder), $"{serve.AzuriteDataFolder} was left behind");
    }

    [Fact]
    public async Task A_serve_started_by_a_parent_ends_when_the_parent_closes_its_input()
    {
        await using var serve = await ServeProcess.StartAsync();
        serve.Runner.CloseStandardInput();
        Assert.Equal(0, await serve.Runner.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("standard input closed, stopping", serve.Runner.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(serve.AzuriteDataFolder), $"{serve.AzuriteDataFolder} was left behind");
    }

    [Fact]
    public async Task A_taken_port_is_named_with_the_way_out()
    {
        using var taken = new TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        await using var run = RunnerProcess.Start("--serve", "--in-process", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, await run.WaitForExitAsync(TimeSpan.FromMinutes(3)));
        Assert.Contains($"is something else on port {port}? --port N picks another", run.Output, StringComparison.Ordinal);
        Assert.Contains("stopped Azurite and removed its data folder", run.Output, StringComparison.Ordinal);
    }

    private static async Task<string> RunBashAsync(string command)
    {
        using var bash = Process.Start(new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await bash.StandardOutput.ReadToEndAsync();
        var errors = await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        Assert.True(bash.ExitCode == 0, $"'{command}' exited {bash.ExitCode}: {errors}");
        return output;
    }
}
