using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace DiffusionFunctions.LocalRunner;

/// <summary>
/// Makes sure an Azurite answers on 127.0.0.1:10000-10001: uses one that is already running, otherwise starts one with the
/// repository's own script (<c>infra/scripts/start-azurite.sh</c>, which installs it from npm into <c>.tools/</c> when
/// missing) and stops it again by its PID.
/// </summary>
internal sealed class AzuriteProcess : IDisposable
{
    private int? _startedPid;

    public static async Task<AzuriteProcess> EnsureRunningAsync(string root, CancellationToken cancellationToken)
    {
        var azurite = new AzuriteProcess();
        if (await IsListeningAsync(10000) && await IsListeningAsync(10001))
        {
            Console.WriteLine("local-run: using the Azurite already listening on 127.0.0.1:10000");
            return azurite;
        }

        var data = Path.Combine(Path.GetTempPath(), "dfx-local-azurite-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Console.WriteLine("local-run: starting Azurite (infra/scripts/start-azurite.sh) ...");
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "infra", "scripts", "start-azurite.sh"), data])
        {
            RedirectStandardOutput = true,
            WorkingDirectory = root,
        };
        using var script = Process.Start(start) ?? throw new InvalidOperationException("Could not run infra/scripts/start-azurite.sh.");
        var output = await script.StandardOutput.ReadToEndAsync(cancellationToken);
        await script.WaitForExitAsync(cancellationToken);
        if (script.ExitCode != 0 || !int.TryParse(output.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            throw new InvalidOperationException($"infra/scripts/start-azurite.sh failed (exit {script.ExitCode}); is Node.js installed?");
        }

        azurite._startedPid = pid;
        Console.WriteLine($"local-run: Azurite started (pid {pid}, data {data})");
        return azurite;
    }

    public void Dispose()
    {
        if (_startedPid is not { } pid)
        {
            return;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
            Console.WriteLine($"local-run: stopped Azurite (pid {pid})");
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
