using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Storage;
using DiffusionFunctions.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DiffusionFunctions.Api.Tests;

/// <summary>
/// The API's real service graph (<see cref="DiffusionApiServiceCollectionExtensions.AddDiffusionApi"/>, the shipped
/// default prompt policy included) over fresh
/// Azurite containers and queues for one test, with helpers to see what landed in storage.
/// </summary>
internal sealed class ApiTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private ApiTestHost(AzuriteFixture azurite, AzuriteTestNames names, ServiceProvider services)
    {
        Azurite = azurite;
        Names = names;
        _services = services;
    }

    public AzuriteFixture Azurite { get; }

    public AzuriteTestNames Names { get; }

    public IServiceProvider Services => _services;

    public DiffusionJobsClient Jobs => _services.GetRequiredService<DiffusionJobsClient>();

    public BlobContainerClient JobsContainer => Azurite.BlobService.GetBlobContainerClient(Names.JobsContainer);

    public BlobContainerClient InputsContainer => Azurite.BlobService.GetBlobContainerClient(Names.InputsContainer);

    public BlobContainerClient ResultsContainer => Azurite.BlobService.GetBlobContainerClient(Names.ResultsContainer);

    /// <summary>The generation queue, seen without base64 decoding (the wire text).</summary>
    public QueueClient RawGenerationQueue => Azurite.RawQueueService.GetQueueClient(Names.GenerationQueue);

    public static async Task<ApiTestHost> StartAsync(
        AzuriteFixture azurite, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null, bool createResources = true)
    {
        var names = azurite.CreateNames();
        var values = names.ToSettings();
        values["DiffusionFunctions:Generation:CallbacksEnabled"] = "true"; // as where the worker has a webhook secret
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddDiffusionApi(configuration);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        if (createResources)
        {
            await provider.GetRequiredService<StorageResourcesInitializer>().EnsureCreatedAsync();
        }

        return new ApiTestHost(azurite, names, provider);
    }

    public T Create<T>() => ActivatorUtilities.CreateInstance<T>(_services);

    public async Task<List<string>> ListBlobsAsync(BlobContainerClient container)
    {
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }

    /// <summary>Every message in the generation queue (peeked, so left in place), as the JSON text after base64 decoding.</summary>
    public Task<List<string>> PeekGenerationMessagesAsync() => PeekMessagesAsync(Names.GenerationQueue);

    /// <summary>Every message in the queue named <paramref name="queue"/> (a model's queue), peeked, as JSON text after base64 decoding.</summary>
    public async Task<List<string>> PeekMessagesAsync(string queue)
    {
        var peeked = await Azurite.RawQueueService.GetQueueClient(queue).PeekMessagesAsync(maxMessages: 32);
        return [.. peeked.Value.Select(m => Encoding.UTF8.GetString(Convert.FromBase64String(m.Body.ToString())))];
    }

    /// <summary>Asserts nothing was written or enqueued (no job, idempotency record, input blob or message).</summary>
    public async Task AssertNothingStoredAsync()
    {
        Assert.Empty(await ListBlobsAsync(JobsContainer));
        Assert.Empty(await ListBlobsAsync(InputsContainer));
        Assert.Empty(await PeekGenerationMessagesAsync());
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
