using System.Diagnostics;
using System.Text.Json;

namespace DiffusionFunctions.TestSupport;

/// <summary>
/// A private Azurite started through <c>infra/scripts/azurite-private.mjs</c>: free loopback ports, a throw-away data
/// folder, and a lifetime tied to this object's hold on the script's standard input. Disposing closes that input (the
/// script stops Azurite and deletes the folder); so does the death of this process, however it dies, because the
/// kernel closes the pipe, so no Azurite outlives a killed test host.
/// </summary>
public sealed class PrivateAzurite : IAsyncDisposable
{
    /// <summary>Azurite's published development account key (the same in every Azurite; not a secret).</summary>
    private const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _script;

    private PrivateAzurite(Process script, AzuriteStarted started)
    {
        _script = script;
        AzuritePid = started.Pid;
        DataFolder = started.DataFolder;
        BlobPort = started.BlobPort;
        QueuePort = started.QueuePort;
        TablePort = started.TablePort;
    }

    /// <summary>The process id of the Azurite node process (a child of the script).</summary>
    public int AzuritePid { get; }

    /// <summary>The process id of the script that owns Azurite.</summary>
    public int ScriptPid => _script.Id;

    /// <summary>The throw-away data folder (deleted when Azurite stops).</summary>
    public string DataFolder { get; }

    /// <summary>Blob service port on 127.0.0.1.</summary>
    public int BlobPort { get; }

    /// <summary>Queue service port on 127.0.0.1.</summary>
    public int QueuePort { get; }

    /// <summary>Table service port on 127.0.0.1.</summary>
    public int TablePort { get; }

    /// <summary>A connection string for Azurite's development account on this instance's ports.</summary>
    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + DevelopmentAccountKey + ";"
        + $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;"
        + $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;"
        + $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <summary>
    /// Installs Azurite with the repository's script when it is missing (<c>infra/scripts/install-azurite.sh</c>, which
    /// serialises parallel callers), then starts a private instance and waits until it answers.
    /// </summary>
    public static async Task<PrivateAzurite> StartAsync(CancellationToken cancellationToken = default)
    {
        var root = RepositoryPaths.Root;
        await RunInstallScriptAsync(root, cancellationToken);

        var start = new ProcessStartInfo("node", [Path.Combine(root, "infra", "scripts", "azurite-private.mjs")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        var script = Process.Start(start)
            ?? throw new InvalidOperationException("Could not start 'node infra/scripts/azurite-private.mjs' (is Node.js installed?).");
        var errors = script.StandardError.ReadToEndAsync(CancellationToken.None);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        string? line;
        try
        {
            line = await script.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            script.Kill(entireProcessTree: true);
            script.Dispose();
            throw new InvalidOperationException($"Azurite did not start within {StartTimeout.TotalMinutes} minutes.");
        }

        if (line is null)
        {
            await script.WaitForExitAsync(CancellationToken.None);
            var message = $"infra/scripts/azurite-private.mjs exited with code {script.ExitCode} before Azurite answered: {(await errors).Trim()}";
            script.Dispose();
            throw new InvalidOperationException(message);
        }

        var started = JsonSerializer.Deserialize(line, AzuriteStartedJsonContext.Default.AzuriteStarted)
            ?? throw new InvalidOperationException($"infra/scripts/azurite-private.mjs printed '{line}', not its endpoint line.");
        return new PrivateAzurite(script, started);
    }

    /// <summary>Closes the script's standard input and waits for it to stop Azurite and delete the data folder.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _script.StandardInput.Close();
            using var timeout = new CancellationTokenSource(StopTimeout);
            await _script.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _script.Kill(entireProcessTree: true);
        }
        finally
        {
            _script.Dispose();
        }
    }

    /// <summary>The synchronous form of <see cref="DisposeAsync"/>, for process-exit handlers.</summary>
    public void Stop()
    {
        try
        {
            _script.StandardInput.Close();
            if (!_script.WaitForExit(StopTimeout))
            {
                _script.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already stopped and disposed.
        }
    }

    private static async Task RunInstallScriptAsync(string root, CancellationToken cancellationToken)
    {
        var install = new ProcessStartInfo("bash", [Path.Combine(root, "infra", "scripts", "install-azurite.sh")])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        using var script = Process.Start(install)
            ?? throw new InvalidOperationException("Could not run infra/scripts/install-azurite.sh.");
        var errors = await script.StandardError.ReadToEndAsync(cancellationToken);
        await script.WaitForExitAsync(cancellationToken);
        if (script.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"infra/scripts/install-azurite.sh failed (exit {script.ExitCode}); it installs Azurite from npm: {errors.Trim()}");
        }
    }
}
