using DiffusionFunctions.LocalRunner;

// The local run (README.md, "Local run (details)"): a model folder, a private Azurite, both function apps, then either a
// sample prompt to a PNG on disk or, with --serve, the API kept up until Ctrl-C. Everything it started is stopped again.
var options = LocalRunOptions.Parse(args, out var exitCode);
if (options is null)
{
    return exitCode;
}

using var shutdown = new ShutdownSignal();
if (options.StopWhenStandardInputCloses)
{
    shutdown.StopWhenStandardInputCloses();
}

using var timeout = new CancellationTokenSource(options.Timeout);
using var startup = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, shutdown.Token);
try
{
    var root = RepositoryRoot.Find();
    // Folders before Azurite: a wrong --model (or --models folder) starts nothing.
    var models = options.Models?.Select(m => m with { Path = ModelFolder.Prepare(root, m.Path) }).ToList();
    var model = models?[0].Path ?? ModelFolder.Prepare(root, options.ModelPath);
    await using var azurite = await AzuriteProcess.StartAsync(root, startup.Token);
    var settings = LocalSettings.Create(model);
    if (models is not null)
    {
        LocalSettings.AddModelList(settings, models);
        Console.WriteLine($"local-run: models {string.Join(", ", models.Select(m => $"{m.Name} ({m.Path})"))}; {models[0].Name} is the default; one in-process worker each.");
    }

    settings["AzureWebJobsStorage"] = azurite.ConnectionString;
    if (options.AllowedOrigins is not null)
    {
        settings[LocalWeb.AllowedOriginsSetting] = options.AllowedOrigins;
    }

    var port = options.Serve ? options.Port : 0;
    // Several models run one worker per model in-process ('func start' runs one worker app).
    var func = options.ForceInProcess || models is not null ? null : CoreToolsHost.FindFunc();
    await using IAsyncDisposable apps = func is not null
        ? (IAsyncDisposable)await CoreToolsHost.StartAsync(func, root, settings, port == 0 ? LocalRunOptions.DefaultServePort : port, startup.Token)
        : await StartInProcessAsync(settings, port, options.ForceInProcess || models is not null, models, startup.Token);
    var baseAddress = apps is CoreToolsHost functions ? functions.BaseAddress : ((InProcessFunctionHost)apps).BaseAddress;
    Console.WriteLine($"local-run: API listening on {baseAddress}");

    if (options.Serve)
    {
        ServeBanner.Print(baseAddress, functionsHost: func is not null, azurite.ConnectionString);
        await Task.Delay(Timeout.Infinite, shutdown.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        return 0;
    }

    var png = await SampleClient.RunAsync(baseAddress, options, root, startup.Token);
    Console.WriteLine($"local-run: PNG written to {png}");
    return 0;
}
catch (OperationCanceledException) when (shutdown.Token.IsCancellationRequested)
{
    Console.Error.WriteLine("local-run: stopped before it finished.");
    return 130;
}
catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or OperationCanceledException or IOException)
{
    Console.Error.WriteLine("local-run: failed: " + ex switch
    {
        OperationCanceledException => $"gave up after {options.Timeout.TotalSeconds:0} s (--timeout)",
        IOException when options.Serve => ex.Message + $" (is something else on port {options.Port}? --port N picks another, 0 a free one)",
        _ => ex.Message,
    });
    return 1;
}

static async Task<InProcessFunctionHost> StartInProcessAsync(
    Dictionary<string, string?> settings, int port, bool forced, IReadOnlyList<LocalModel>? models, CancellationToken cancellationToken)
{
    Console.WriteLine(forced
        ? "local-run: --in-process: running the function classes in-process."
        : "local-run: Azure Functions Core Tools ('func') not found: running the same function classes in-process "
          + "(ASP.NET Core on 127.0.0.1 for the API routes, a queue listener for the worker). "
          + "To use the Functions host instead (needs its CDN, cdn.functions.azure.com): npm install -g azure-functions-core-tools@4 --unsafe-perm true");
    return await InProcessFunctionHost.StartAsync(settings, cancellationToken, port, models);
}
