using System.Diagnostics;
using System.Globalization;

namespace DiffusionFunctions.Hosting.Tests.RealHost;

/// <summary>
/// One function app's build output running in the real Azure Functions host, started through
/// <c>../shared/tools/functions-host/run-host.sh</c> (what <c>func start</c> does) inside a small supervisor shell of its
/// own session (<c>setsid</c>). The supervisor holds this object's pipe on its standard input; when the pipe closes, on
/// <see cref="DisposeAsync"/> or because this test process died however it died, it stops the host (SIGTERM: the host stops
/// its language worker), waits up to 10 s, then kills whatever is left of its process group (the host's worker
/// included) and itself. So no host or worker outlives the check.
/// </summary>
public sealed class FunctionsHostProcess : IAsyncDisposable
{
    /// <summary>The supervisor: runs run-host.sh, prints the host's PID, holds until stdin closes, then stops the group.</summary>
    private const string Supervisor = """
        set -u
        pid="$(bash "$@")" || exit 1
        echo "$pid"
        cat >/dev/null
        kill -TERM "$pid" 2>/dev/null
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$$" 2>/dev/null
        """;

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly string[] NoiseMarkers = ["Request [", "Response [", "SystemTraceMiddleware", "Function.GetGeneration"];

    private readonly Process _supervisor;
    private readonly int _supervisorId;

    private FunctionsHostProcess(Process supervisor, int hostPid, string hostId, int port, string logPath)
    {
        _supervisor = supervisor;
        _supervisorId = supervisor.Id; // its session's and process group's id (setsid)
        HostPid = hostPid;
        HostId = hostId;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        LogPath = logPath;
    }

    /// <summary>The host's process id.</summary>
    public int HostPid { get; }

    /// <summary>The host id it runs with (<c>AzureFunctionsWebHost__hostid</c>): its key store folder and its locks.</summary>
    public string HostId { get; }

    /// <summary>Where it listens.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The host's log file (its console output, the language worker's included).</summary>
    public string LogPath { get; }

    /// <summary>Starts <paramref name="appBuildOutput"/> in the host with the settings file plus <paramref name="overrides"/>.</summary>
    public static async Task<FunctionsHostProcess> StartAsync(
        string appBuildOutput, string hostId, string settingsJson, IReadOnlyDictionary<string, string> overrides, string logPath,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var port = FreeTcpPort.Pick();
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "bash", "-c", Supervisor, "functions-host-supervisor", FunctionAppBuildOutputs.RunHostScript,
                     appBuildOutput, port.ToString(CultureInfo.InvariantCulture), hostId, settingsJson, logPath })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in overrides)
        {
            start.ArgumentList.Add($"{key}={value}");
        }

        var supervisor = Process.Start(start) ?? throw new InvalidOperationException("Could not start setsid bash for run-host.sh.");
        var errors = supervisor.StandardError.ReadToEndAsync(CancellationToken.None);
        string? line;
        try
        {
            line = await supervisor.StandardOutput.ReadLineAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            supervisor.StandardInput.Close(); // the supervisor stops whatever run-host.sh started, then exits
            supervisor.Dispose();
            throw;
        }

        if (line is null || !int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var hostPid))
        {
            await supervisor.WaitForExitAsync(CancellationToken.None);
            var message = $"run-host.sh did not start the host for {appBuildOutput} (printed '{line}'): {(await errors).Trim()}";
            supervisor.Dispose();
            throw new InvalidOperationException(message);
        }

        return new FunctionsHostProcess(supervisor, hostPid, hostId, port, logPath);
    }

    /// <summary>True while the host process runs.</summary>
    public bool IsRunning
    {
        get
        {
            try
            {
                using var host = Process.GetProcessById(HostPid);
                return !host.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// The processes still alive (not zombies) in the supervisor's process group: after <see cref="DisposeAsync"/> there
    /// must be none, neither the host nor its language worker (read from <c>/proc/*/stat</c>).
    /// </summary>
    public IReadOnlyList<string> RemainingProcesses()
    {
        var group = _supervisorId.ToString(CultureInfo.InvariantCulture);
        var remaining = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(folder, "stat"));
            }
            catch (IOException)
            {
                continue; // exited meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 2 && fields[2] == group && fields[0] != "Z")
            {
                remaining.Add(stat[..(stat.LastIndexOf(')') + 1)]);
            }
        }

        return remaining;
    }

    /// <summary>
    /// Polls <paramref name="path"/> (anonymous) until it answers 200; fails when the host exits or <paramref name="timeout"/>
    /// passes first.
    /// </summary>
    public async Task WaitUntilAnswersAsync(HttpClient http, string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var deadline = DateTimeOffset.UtcNow + timeout;
        var last = "no answer";
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, path), cancellationToken);
                if (response.StatusCode == System.Net.HttpStatusCode.OK)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }

            if (!IsRunning)
            {
                throw new InvalidOperationException($"The Functions host {HostId} exited before {path} answered 200 (last: {last}).");
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"The Functions host {HostId} did not answer 200 on {path} within {timeout.TotalSeconds:0} s (last: {last}).");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>
    /// The last <paramref name="lines"/> lines of the host's log, without the storage SDK's request/response lines and the
    /// host's per-request trace lines (the check's polling would fill the tail with them).
    /// </summary>
    public string LogTail(int lines = 60)
    {
        if (!File.Exists(LogPath))
        {
            return "(no log file)";
        }

        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var tail = reader.ReadToEnd().Split('\n')
            .Where(l => !NoiseMarkers.Any(marker => l.Contains(marker, StringComparison.Ordinal)))
            .TakeLast(lines);
        return string.Join('\n', tail);
    }

    /// <summary>Closes the supervisor's input and waits for it to stop the host and its worker.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _supervisor.StandardInput.Close();
            using var timeout = new CancellationTokenSource(StopTimeout);
            await _supervisor.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // The supervisor never takes this long; kill its whole process group (the host is not its child but in its group).
            using var kill = Process.Start("kill", ["-KILL", "--", "-" + _supervisor.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync(CancellationToken.None);
        }
        finally
        {
            _supervisor.Dispose();
        }
    }
}
