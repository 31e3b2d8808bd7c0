using System.Text.Json;
using Azure.Messaging;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using DiffusionFunctions.Api;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Policy;
using DiffusionFunctions.Core.Queue;
using DiffusionFunctions.ModelGeneration;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DiffusionFunctions.Worker.Tests.Infrastructure;

/// <summary>
/// The worker's real host (<see cref="DiffusionWorkerServiceCollectionExtensions.AddDiffusionWorker"/>, hosted services
/// started: storage created, tiny generated model loaded and warmed up) over fresh Azurite names, plus the API's real
/// service graph on the same names for submitting, and helpers to see what landed in storage.
/// </summary>
internal sealed class WorkerTestHost : IAsyncDisposable
{
    public const string WebhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private readonly IHost _host;
    private readonly ServiceProvider _api;

    private WorkerTestHost(AzuriteFixture azurite, AzuriteTestNames names, IHost host, ServiceProvider api)
    {
        Azurite = azurite;
        Names = names;
        _host = host;
        _api = api;
    }

    public AzuriteFixture Azurite { get; }

    public AzuriteTestNames Names { get; }

    public IServiceProvider Services => _host.Services;

    public IServiceProvider ApiServices => _api;

    public DiffusionJobsClient Jobs => Services.GetRequiredService<DiffusionJobsClient>();

    public BlobContainerClient ResultsContainer => Azurite.BlobService.GetBlobContainerClient(Names.ResultsContainer);

    public QueueClient GenerationQueue => Azurite.QueueService.GetQueueClient(Names.GenerationQueue);

    public QueueClient PoisonQueue => Azurite.QueueService.GetQueueClient(Names.PoisonQueue);

    public QueueClient EventsQueue => Azurite.QueueService.GetQueueClient(Names.EventsQueue);

    /// <summary>Starts a worker host; <paramref name="settings"/> override the defaults (progress every 50 ms, private callbacks allowed by the API and the worker).</summary>
    public static async Task<WorkerTestHost> StartAsync(
        AzuriteFixture azurite, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null, ModelVariant? variant = null,
        AzuriteTestNames? sharedNames = null)
    {
        // Several hosts on the same names are one deployment's worker apps (one per model).
        var names = sharedNames ?? azurite.CreateNames();
        var values = names.ToSettings();
        values["DiffusionFunctions:Worker:ModelPath"] = await GeneratedModelCache.GetTinyAsync(variant);
        values["DiffusionFunctions:Worker:ProgressInterval"] = "00:00:00.050";
        values["DiffusionFunctions:Events:WebhookSecret"] = WebhookSecret;
        values["DiffusionFunctions:Generation:CallbacksEnabled"] = "true";
        values["DiffusionFunctions:Events:AllowPrivateCallbackAddresses"] = "true";
        values["DiffusionFunctions:Generation:AllowPrivateCallbackHosts"] = "true"; // the webhook listener is on 127.0.0.1
        values["DiffusionFunctions:Events:WebhookInitialBackoff"] = "00:00:00.010";
        values["DiffusionFunctions:Engine:IntraOpThreads"] = "1";
        values["DiffusionFunctions:Engine:Provider"] = "Cpu";
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(values);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddDiffusionWorker(builder.Configuration);
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();

        var apiConfiguration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var apiServices = new ServiceCollection();
        apiServices.AddSingleton<IConfiguration>(apiConfiguration);
        apiServices.AddLogging();
        apiServices.AddDiffusionApi(apiConfiguration);
        apiServices.AddPromptPolicy(apiConfiguration);
        var api = apiServices.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new WorkerTestHost(azurite, names, host, api);
    }

    /// <summary>A worker-side service or function class built from the worker's container.</summary>
    public T Create<T>() => ActivatorUtilities.CreateInstance<T>(Services);

    /// <summary>The in-process queue listener over the worker's function classes (the host's queue semantics).</summary>
    public Hosting.InProcessQueueListener CreateListener(TimeSpan? retryDelay = null) => ActivatorUtilities.CreateInstance<Hosting.InProcessQueueListener>(
        Services,
        Create<Functions.ProcessGenerationFunction>(),
        Create<Functions.GenerationPoisonFunction>(),
        new Hosting.InProcessQueueListenerOptions { RetryDelay = retryDelay ?? TimeSpan.Zero, MaxPollingInterval = TimeSpan.FromMilliseconds(200) });

    /// <summary>An API function class built from the API's container.</summary>
    public T CreateApi<T>() => ActivatorUtilities.CreateInstance<T>(_api);

    /// <summary>Stores a queued job directly (bypassing the API's validation) and enqueues its message.</summary>
    public async Task<string> EnqueueJobAsync(Core.Generation.GenerationParameters parameters)
    {
        var job = JobRecord.CreateQueued(JobIds.New(), parameters, DateTimeOffset.UtcNow);
        await Jobs.CreateAsync(job);
        await Services.GetRequiredService<GenerationQueueClient>().SendAsync(GenerationQueueMessage.For(job.Id, Names.JobsContainer));
        return job.Id;
    }

    /// <summary>Receives the next generation message as the trigger would, waiting up to <paramref name="timeout"/> for one to be visible.</summary>
    public Task<QueueMessage> ReceiveGenerationAsync(TimeSpan? visibility = null, TimeSpan? timeout = null)
        => ReceiveAsync(GenerationQueue, visibility ?? TimeSpan.FromMinutes(1), timeout ?? TimeSpan.FromSeconds(10));

    /// <summary>Polls <paramref name="queue"/> until a message is visible, or fails at the deadline.</summary>
    public static async Task<QueueMessage> ReceiveAsync(QueueClient queue, TimeSpan visibility, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var message = (await queue.ReceiveMessageAsync(visibility)).Value;
            if (message is not null)
            {
                return message;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"No message became visible in queue '{queue.Name}' within {timeout}.");
            await Task.Delay(50);
        }
    }

    /// <summary>Every event in the events queue (peeked), parsed as CloudEvents.</summary>
    public async Task<List<CloudEvent>> PeekEventsAsync()
    {
        var peeked = await EventsQueue.PeekMessagesAsync(maxMessages: 32);
        return [.. peeked.Value.Select(m => GenerationCloudEvents.Parse(m.Body))];
    }

    public async Task<List<string>> ListResultBlobsAsync()
    {
        var names = new List<string>();
        await foreach (var blob in ResultsContainer.GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }

    /// <summary>Polls the job record until <paramref name="condition"/> holds, or fails at the deadline.</summary>
    public async Task<JobRecord> WaitForJobAsync(string jobId, Func<JobRecord, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var job = await Jobs.GetAsync(jobId);
            if (job is not null && condition(job))
            {
                return job;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"Job {jobId} did not reach the expected state within {timeout}; last: {JsonSerializer.Serialize(job)}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _api.DisposeAsync();
    }
}
