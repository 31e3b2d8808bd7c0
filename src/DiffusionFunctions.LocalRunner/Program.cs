using DiffusionFunctions.LocalRunner;

// The one-command local run (README.md, "Local run (details)"): Azurite, a model folder, both function apps, a sample prompt,
// a PNG on disk; everything it started is stopped again.
var options = LocalRunOptions.Parse(args);
if (options is null)
{
    return 2;
}

using var timeout = new CancellationTokenSource(options.Timeout);
var root = RepositoryRoot.Find();
try
{
    using var azurite = await AzuriteProcess.EnsureRunningAsync(root, timeout.Token);
    var model = ModelFolder.Prepare(root, options.ModelPath);
    var settings = LocalSettings.Create(model);
    var func = options.ForceInProcess ? null : CoreToolsHost.FindFunc();
    string png;
    if (func is not null)
    {
        await using var apps = await CoreToolsHost.StartAsync(func, root, settings, timeout.Token);
        png = await SampleClient.RunAsync(apps.BaseAddress, options, root, timeout.Token);
    }
    else
    {
        Console.WriteLine(options.ForceInProcess
            ? "local-run: --in-process: running the function classes in-process."
            : "local-run: Azure Functions Core Tools ('func') not found: running the same function classes in-process "
              + "(ASP.NET Core on 127.0.0.1 for the API routes, a queue listener for the worker). "
              + "To use the Functions host instead: npm install -g azure-functions-core-tools@4 --unsafe-perm true");
        await using var apps = await InProcessFunctionHost.StartAsync(settings, timeout.Token);
        Console.WriteLine($"local-run: API listening on {apps.BaseAddress}");
        png = await SampleClient.RunAsync(apps.BaseAddress, options, root, timeout.Token);
    }

    Console.WriteLine($"local-run: PNG written to {png}");
    return 0;
}
catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or OperationCanceledException)
{
    Console.Error.WriteLine("local-run: failed: " + ex.Message);
    return 1;
}
