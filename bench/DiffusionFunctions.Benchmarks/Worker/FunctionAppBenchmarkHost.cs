extern alias ApiApp;
extern alias WorkerApp;

using System.Text;
using ApiApp::DiffusionFunctions.Api;
using DiffusionFunctions.Core.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkerApp::DiffusionFunctions.Worker;
using WorkerApp::DiffusionFunctions.Worker.Engine;
using WorkerApp::DiffusionFunctions.Worker.Processing;

namespace DiffusionFunctions.Benchmarks.Worker;

/// <summary>
/// The API and worker function apps in one process for the end-to-end benchmarks: settings with containers and queues of
/// their own (a fresh prefix each run), the worker host with the pipeline timed, the API's services, and the HTTP requests
/// its functions are called with.
/// </summary>
internal static class FunctionAppBenchmarkHost
{
    /// <summary>A fresh prefix for a run's containers and queues.</summary>
    public static string NewPrefix() => "b" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>Settings for both apps: storage names under <paramref name="prefix"/>, the model, the CPU provider.</summary>
    public static Dictionary<string, string?> Settings(string prefix, string storage, string model)
        => new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storage,
            ["DiffusionFunctions:Storage:JobsContainer"] = prefix + "-jobs",
            ["DiffusionFunctions:Storage:InputsContainer"] = prefix + "-inputs",
            ["DiffusionFunctions:Storage:ResultsContainer"] = prefix + "-results",
            ["DiffusionFunctions:Storage:GenerationQueue"] = prefix + "-gen",
            ["DiffusionFunctions:Storage:EventsQueue"] = prefix + "-events",
            ["DiffusionFunctions:Worker:ModelPath"] = model,
            ["DiffusionFunctions:Engine:Provider"] = "Cpu",
        };

    /// <summary>The worker's host (not started), its pipeline wrapped by <paramref name="timer"/>; <paramref name="replace"/> swaps in a report's own timed services.</summary>
    public static IHost BuildWorker(IReadOnlyDictionary<string, string?> settings, TimedImageGenerator timer, Action<IServiceCollection> replace)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.Services.AddDiffusionWorker(builder.Configuration);
        builder.Services.Replace(ServiceDescriptor.Singleton<IImageGenerator>(p => timer.Wrap(p.GetRequiredService<PipelineImageGenerator>())));
        replace(builder.Services);
        return builder.Build();
    }

    /// <summary>The API app's services, as its host registers them.</summary>
    public static ServiceProvider BuildApi(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddDiffusionApi(configuration).AddPromptPolicy(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>A JSON <c>POST</c> to <paramref name="path"/> on the local function host, as an HTTP-triggered function receives it.</summary>
    public static HttpRequest JsonPost(string path, string json)
    {
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Method = HttpMethods.Post;
        request.Scheme = "http";
        request.Host = new HostString("127.0.0.1", 7071);
        request.Path = path;
        var body = Encoding.UTF8.GetBytes(json);
        request.Body = new MemoryStream(body);
        request.ContentLength = body.Length;
        request.ContentType = "application/json";
        context.Response.Body = new MemoryStream();
        return request;
    }
}
