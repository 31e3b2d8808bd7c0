using DiffusionFunctions.Api;
using DiffusionFunctions.Api.Functions;
using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.Core.Policy;
using DiffusionFunctions.Worker;
using DiffusionFunctions.Worker.Functions;
using DiffusionFunctions.Worker.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DiffusionFunctions.LocalRunner;

/// <summary>
/// Both function apps without the Functions host: an ASP.NET Core server on 127.0.0.1 mapping the API's routes to the
/// same function methods (services from <c>AddDiffusionApi</c>), and the worker's host (<c>AddDiffusionWorker</c>) with an
/// <see cref="InProcessQueueListener"/> calling the same queue functions with the host's queue semantics. What no
/// function answers (unmatched routes, other methods, over-long URLs) gets a problem as well (<see cref="LocalHttpProblems"/>).
/// With several models (<c>--models</c>) there is one worker host and listener per model, each on its model's queue, as a
/// deployment runs one worker app per model; as in the cloud, only the first (default) model's worker takes the workflow
/// upload events. Azurite has no Event Grid, so a <see cref="BlobUploadWatcher"/> puts the <c>BlobCreated</c> message on
/// each workflow upload queue (<c>batch-requests-events</c>) for every new upload, as the cloud's Event Grid subscription does.
/// </summary>
internal sealed class InProcessFunctionHost : IAsyncDisposable
{
    private readonly WebApplication _api;
    private readonly IReadOnlyList<IHost> _workers;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _listening;
    private readonly Task _watching;

    private InProcessFunctionHost(WebApplication api, IReadOnlyList<IHost> workers, IReadOnlyList<InProcessQueueListener> listeners, Uri baseAddress)
    {
        _api = api;
        _workers = workers;
        Listeners = listeners;
        _listening = [.. listeners.Select(listener => Task.Run(() => listener.RunAsync(_stop.Token), CancellationToken.None))];
        var watcher = ActivatorUtilities.CreateInstance<BlobUploadWatcher>(workers[0].Services);
        _watching = Task.Run(() => watcher.RunAsync(TimeSpan.FromSeconds(1), _stop.Token), CancellationToken.None);
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The (first) worker's queue listener (its <see cref="InProcessQueueListener.Health"/> feeds <c>/api/health</c>).</summary>
    public InProcessQueueListener Listener => Listeners[0];

    /// <summary>Every worker's queue listener, one per model.</summary>
    public IReadOnlyList<InProcessQueueListener> Listeners { get; }

    /// <summary>
    /// Starts both apps; the API on 127.0.0.1:<paramref name="port"/> (0: a free port, see <see cref="BaseAddress"/>). With
    /// <paramref name="models"/>, <paramref name="settings"/> carry the API's model list (<see cref="LocalSettings.AddModelList"/>)
    /// and one worker starts per model.
    /// </summary>
    public static async Task<InProcessFunctionHost> StartAsync(
        Dictionary<string, string?> settings, CancellationToken cancellationToken, int port = 0, IReadOnlyList<LocalModel>? models = null)
    {
        // Function app #2, the worker (one per model): model loaded and warmed up by its hosted services before the listener starts.
        var workerSettings = models is null ? [settings] : models.Select(m => LocalSettings.ForWorker(settings, m)).ToList();
        var workers = new List<IHost>();
        foreach (var values in workerSettings)
        {
            var workerBuilder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            workerBuilder.Configuration.AddInMemoryCollection(values);
            workerBuilder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning).AddFilter("Azure.Core", LogLevel.Error);
            workerBuilder.Services.AddDiffusionWorker(workerBuilder.Configuration);
            var worker = workerBuilder.Build();
            workers.Add(worker);
            await worker.StartAsync(cancellationToken);
        }

        // Function app #1, the API.
        var apiBuilder = WebApplication.CreateSlimBuilder();
        apiBuilder.Configuration.AddInMemoryCollection(settings);
        apiBuilder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning).AddFilter("Azure.Core", LogLevel.Error);
        apiBuilder.WebHost.UseUrls(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        apiBuilder.WebHost.ConfigureKestrel(LocalHttpProblems.ConfigureKestrel);
        apiBuilder.Services.AddDiffusionApi(apiBuilder.Configuration);
        apiBuilder.Services.AddPromptPolicy(apiBuilder.Configuration);
        apiBuilder.Services.AddMvcCore();
        LocalWeb.AddServices(apiBuilder);
        var api = apiBuilder.Build();
        LocalHttpProblems.Use(api);
        LocalWeb.Use(api);
        // Only the first (default) model's worker takes the upload events (the cloud's other worker apps have that function disabled).
        var listeners = workers.Select((worker, i) => ActivatorUtilities.CreateInstance<InProcessQueueListener>(
            worker.Services,
            ActivatorUtilities.CreateInstance<ProcessGenerationFunction>(worker.Services),
            ActivatorUtilities.CreateInstance<GenerationPoisonFunction>(worker.Services),
            new InProcessQueueListenerOptions { RetryDelay = TimeSpan.FromSeconds(5), MaxPollingInterval = TimeSpan.FromMilliseconds(500) },
            i == 0 ? worker.Services.GetServices<IInProcessQueueFunction>().ToArray() : Array.Empty<IInProcessQueueFunction>())).ToList();
        MapApiRoutes(api, listeners);
        await api.StartAsync(cancellationToken);
        var address = api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var host = new InProcessFunctionHost(api, workers, listeners, new Uri(address.TrimEnd('/') + "/"));
        foreach (var listener in listeners)
        {
            await listener.FirstPollCompleted.WaitAsync(cancellationToken); // ready: /api/health reports the listeners' real state
        }

        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_listening);
        await _watching;
        await _api.StopAsync();
        await _api.DisposeAsync();
        foreach (var worker in _workers)
        {
            await worker.StopAsync();
            worker.Dispose();
        }

        _stop.Dispose();
    }

    /// <summary>
    /// The API's routes (as in its <c>functions.metadata</c>) mapped to the same function methods. Health also reports the
    /// worker's listener here, since both apps share this process: 503 <c>worker-unavailable</c> while it is not listening.
    /// </summary>
    private static void MapApiRoutes(WebApplication app, IReadOnlyList<InProcessQueueListener> listeners)
    {
        // ASP0016 misreads the inner FunctionCall lambda (which returns the IActionResult to RunAsync) as the request delegate.
#pragma warning disable ASP0016
        app.MapPost("/api/generations", (RequestDelegate)(http => RunAsync(http, ct =>
            Create<SubmitGenerationFunction>(http).SubmitGeneration(http.Request, ct))));
        app.MapGet("/api/generations", (RequestDelegate)(http => RunAsync(http, ct =>
            Create<ListGenerationsFunction>(http).ListGenerations(http.Request, ct))));
        app.MapGet("/api/generations/{id}", (HttpContext http, string id) => RunAsync(http, ct =>
            Create<GetGenerationFunction>(http).GetGeneration(http.Request, id, ct)));
        app.MapDelete("/api/generations/{id}", (HttpContext http, string id) => RunAsync(http, ct =>
            Create<CancelGenerationFunction>(http).CancelGeneration(http.Request, id, ct)));
        app.MapPost("/api/batches", (RequestDelegate)(http => RunAsync(http, ct =>
            Create<SubmitBatchFunction>(http).SubmitBatch(http.Request, ct))));
        app.MapGet("/api/batches/{id}", (HttpContext http, string id) => RunAsync(http, ct =>
            Create<GetBatchFunction>(http).GetBatch(http.Request, id, ct)));
        app.MapDelete("/api/batches/{id}", (HttpContext http, string id) => RunAsync(http, ct =>
            Create<CancelBatchFunction>(http).CancelBatch(http.Request, id, ct)));
        app.MapGet("/api/models", (RequestDelegate)(http => RunAsync(http, _ =>
            Task.FromResult(Create<GetModelsFunction>(http).GetModels(http.Request)))));
        app.MapGet("/api/openapi.yaml", (RequestDelegate)(http => RunAsync(http, _ =>
            Task.FromResult(Create<OpenApiDocumentFunction>(http).GetOpenApiDocument(http.Request)))));
        app.MapGet("/api/health", (RequestDelegate)(http => RunAsync(http, ct =>
            listeners.Select(l => l.Health).FirstOrDefault(h => !h.IsHealthy) is { } worker
                ? Task.FromResult<IActionResult>(ProblemResults.WorkerUnavailable(DescribeUnhealthy(worker)))
                : Create<HealthFunction>(http).Health(http.Request, ct))));
#pragma warning restore ASP0016
    }

    private delegate Task<IActionResult> FunctionCall(CancellationToken cancellationToken);

    private static string DescribeUnhealthy(QueueListenerHealth worker) => worker.State switch
    {
        QueueListenerState.NotStarted => "The worker's queue listener has not polled the queues yet.",
        QueueListenerState.Failing => $"The worker's queue listener cannot reach the queues ({worker.ConsecutiveFailures} failed polls in a row).",
        _ => "The worker's queue listener has stopped.",
    };

    private static T Create<T>(HttpContext http) => ActivatorUtilities.CreateInstance<T>(http.RequestServices);

    /// <summary>Runs a function and executes its result; an exception becomes the same RFC 7807 answer the API's middleware writes.</summary>
    private static async Task RunAsync(HttpContext http, FunctionCall function)
    {
        IActionResult result;
        try
        {
            result = await function(http.RequestAborted);
        }
        catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested && !http.Response.HasStarted)
        {
            var problem = ExceptionProblemMapper.Map(ex, http.TraceIdentifier);
            result = new ObjectResult(problem) { StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError };
        }

        await result.ExecuteResultAsync(new ActionContext(http, http.GetRouteData(), new ActionDescriptor()));
    }
}
