using System.Diagnostics;
using System.Net.Sockets;

namespace DiffusionFunctions.LocalRunner;

/// <summary>
/// Both function apps under Azure Functions Core Tools: <c>func start</c> in each project folder (API on the given port,
/// 7071 by default; worker on 7072), configured through environment variables with the same settings as the in-process run. Stopped (process tree)
/// on dispose.
/// </summary>
internal sealed class CoreToolsHost : IAsyncDisposable
{
    private readonly List<Process> _processes = [];

    private CoreToolsHost(int apiPort)
    {
        BaseAddress = new Uri(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"http://127.0.0.1:{apiPort}/"));
    }

    public Uri BaseAddress { get; }

    /// <summary>The full path of <c>func</c> on PATH, or null.</summary>
    public static string? FindFunc()
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "func"))
            .FirstOrDefault(File.Exists);

    public static async Task<CoreToolsHost> StartAsync(string func, string root, Dictionary<string, string?> settings, int apiPort, CancellationToken cancellationToken)
    {
        var host = new CoreToolsHost(apiPort);
        foreach (var (project, port) in new[] { ("DiffusionFunctions.Api", apiPort), ("DiffusionFunctions.Worker", apiPort == 7072 ? 7073 : 7072) })
        {
            var start = new ProcessStartInfo(func, ["start", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            {
                WorkingDirectory = Path.Combine(root, "src", project),
            };
            foreach (var (key, value) in LocalSettings.AsEnvironment(settings))
            {
                start.Environment[key] = value;
            }

            start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
            Console.WriteLine($"local-run: func start --port {port} in src/{project}");
            host._processes.Add(Process.Start(start) ?? throw new InvalidOperationException("Could not start func."));
        }

        var deadline = DateTimeOffset.UtcNow.AddMinutes(5);
        while (!await IsListeningAsync(apiPort))
        {
            if (DateTimeOffset.UtcNow > deadline || host._processes.Any(p => p.HasExited))
            {
                await host.DisposeAsync();
                throw new InvalidOperationException($"func start did not bring the API up on port {apiPort}; see its output above.");
            }

            await Task.Delay(500, cancellationToken);
        }

        return host;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
