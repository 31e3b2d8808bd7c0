using System.Diagnostics;
using System.Text.Json;

namespace DiffusionFunctions.LocalRunner;

/// <summary>
/// A private Azurite for this run through <c>infra/scripts/azurite-private.mjs</c> (installed first by
/// <c>infra/scripts/install-azurite.sh</c> when missing): free 127.0.0.1 ports, a throw-away data folder, and a lifetime
/// tied to this process's hold on the script's standard input. Disposing closes that input, and so does this process's
/// death however it dies; the script then stops Azurite and deletes the data folder. It never touches an Azurite of
/// yours on 10000-10002.
/// </summary>
internal sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>Azurite's published development account key (the same in every Azurite; not a secret).</summary>
    private const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _script;

    private AzuriteProcess(Process script, JsonElement started)
    {
        _script = script;
        BlobPort = started.GetProperty("blobPort").GetInt32();
        QueuePort = started.GetProperty("queuePort").GetInt32();
        TablePort = started.GetProperty("tablePort").GetInt32();
        DataFolder = started.GetProperty("dataFolder").GetString() ?? "";
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    /// <summary>The throw-away data folder (deleted when Azurite stops).</summary>
    public string DataFolder { get; }

    /// <summary>A connection string for Azurite's development account on this instance's ports.</summary>
    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + DevelopmentAccountKey + ";"
        + $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;"
        + $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;"
        + $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    public static async Task<AzuriteProcess> StartAsync(string root, CancellationToken cancellationToken)
    {
        await RunAsync("bash", [Path.Combine(root, "infra", "scripts", "install-azurite.sh")], root, cancellationToken);
        Console.WriteLine("local-run: starting a private Azurite (infra/scripts/azurite-private.mjs) ...");
        var start = new ProcessStartInfo("node", [Path.Combine(root, "infra", "scripts", "azurite-private.mjs")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        var script = Process.Start(start) ?? throw new InvalidOperationException("Could not run node (is Node.js 20+ installed?).");
        try
        {
            var line = await script.StandardOutput.ReadLineAsync(cancellationToken)
                ?? throw new InvalidOperationException("infra/scripts/azurite-private.mjs stopped before Azurite answered (its message is above).");
            using var json = JsonDocument.Parse(line);
            var azurite = new AzuriteProcess(script, json.RootElement.Clone());
            Console.WriteLine($"local-run: Azurite on 127.0.0.1 (blob {azurite.BlobPort}, queue {azurite.QueuePort}, table {azurite.TablePort}; data {azurite.DataFolder}, removed at the end)");
            return azurite;
        }
        catch
        {
            script.Kill(entireProcessTree: true);
            script.Dispose();
            throw;
        }
    }

    /// <summary>Closes the script's standard input and waits until it has stopped Azurite and deleted the data folder.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _script.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _script.WaitForExitAsync(timeout.Token);
            Console.WriteLine("local-run: stopped Azurite and removed its data folder");
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

    private static async Task RunAsync(string file, string[] arguments, string root, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { WorkingDirectory = root, UseShellExecute = false })
            ?? throw new InvalidOperationException($"Could not run {file}.");
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("infra/scripts/install-azurite.sh failed (it installs Azurite from npm; is Node.js 20+ installed?).");
        }
    }
}
