namespace DiffusionFunctions.LocalRunner.Tests;

/// <summary>
/// <c>run-local --serve --in-process --port 0</c> as a process: started, waited for until it prints its base URL, and
/// stopped with SIGINT (what Ctrl-C sends). Port 0 because 7071 may be taken by a developer's own host; the fixed
/// default is checked by the option parser's test. It holds the run's standard input, so the run (and its Azurite) ends
/// with the test process even when that is killed.
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private const string BaseUrlLine = "local-run: serving. API base URL: ";
    private const string AzuriteLine = "local-run: Azurite on 127.0.0.1";

    private ServeProcess(RunnerProcess runner, Uri api, string azuriteDataFolder)
    {
        Runner = runner;
        Api = api;
        AzuriteDataFolder = azuriteDataFolder;
    }

    public RunnerProcess Runner { get; }

    /// <summary>The printed API base URL, ending in <c>/api</c>.</summary>
    public Uri Api { get; }

    /// <summary>The origin (<c>http://127.0.0.1:port</c>).</summary>
    public Uri Origin => new(Api.GetLeftPart(UriPartial.Authority));

    public string AzuriteDataFolder { get; }

    public static async Task<ServeProcess> StartAsync(params string[] extraArgs)
    {
        var runner = RunnerProcess.Start(["--serve", "--in-process", "--port", "0", "--stop-when-stdin-closes", .. extraArgs]);
        try
        {
            var azurite = await runner.WaitForLineAsync(AzuriteLine, TimeSpan.FromMinutes(5));
            var data = azurite[(azurite.IndexOf("data ", StringComparison.Ordinal) + 5)..azurite.IndexOf(", removed", StringComparison.Ordinal)];
            var line = await runner.WaitForLineAsync(BaseUrlLine, TimeSpan.FromMinutes(3));
            return new ServeProcess(runner, new Uri(line[BaseUrlLine.Length..].Trim()), data);
        }
        catch
        {
            await runner.DisposeAsync();
            throw;
        }
    }

    /// <summary>Ctrl-C: returns the exit code.</summary>
    public Task<int> InterruptAsync() => Runner.SignalAndWaitAsync("INT", TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        if (!Runner.HasExited)
        {
            await InterruptAsync();
        }

        await Runner.DisposeAsync();
    }
}
