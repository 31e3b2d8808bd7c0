using System.Diagnostics;
using DiffusionFunctions.TestSupport;

namespace DiffusionFunctions.LocalRunner.Tests;

/// <summary>
/// The local run's program (what <c>infra/scripts/run-local.sh</c> runs) started as a process from the repository root,
/// with its output collected line by line so that a test can wait for a line (polling with a deadline, never sleeping).
/// </summary>
internal sealed class RunnerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly SemaphoreSlim _changed = new(0);

    private RunnerProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything printed so far (stdout and stderr, in arrival order).</summary>
    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public static RunnerProcess Start(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "DiffusionFunctions.LocalRunner.dll");
        var start = new ProcessStartInfo("dotnet", [dll, .. args])
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.Environment["DiffusionFunctions__Engine__Provider"] = "Cpu";
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var runner = new RunnerProcess(process);
        process.OutputDataReceived += (_, e) => runner.Add(e.Data);
        process.ErrorDataReceived += (_, e) => runner.Add(e.Data);
        process.Exited += (_, _) => runner._changed.Release();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return runner;
    }

    /// <summary>Waits for a line starting with <paramref name="prefix"/> and returns it; fails with the output so far.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            lock (_lines)
            {
                var line = _lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
                if (line is not null)
                {
                    return line;
                }
            }

            if (_process.HasExited)
            {
                _process.WaitForExit(); // drains the output events
                lock (_lines)
                {
                    if (_lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } last)
                    {
                        return last;
                    }
                }

                throw new Xunit.Sdk.XunitException($"The local run exited ({_process.ExitCode}) without printing '{prefix}'. Output:\n{Output}");
            }

            try
            {
                await _changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"No line '{prefix}' within {timeout.TotalSeconds} s. Output:\n{Output}");
            }
        }
    }

    /// <summary>Closes the run's standard input (what the death of this process does too).</summary>
    public void CloseStandardInput() => _process.StandardInput.Close();

    /// <summary>Sends a POSIX signal (SIGINT is what Ctrl-C sends) and waits for the process to exit.</summary>
    public async Task<int> SignalAndWaitAsync(string signal, TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync(timeout);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"The local run did not exit within {timeout.TotalSeconds} s. Output:\n{Output}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _changed.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        _changed.Release();
    }
}
