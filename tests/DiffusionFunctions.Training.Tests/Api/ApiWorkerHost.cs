using Azure.Storage.Queues.Models;
using DiffusionFunctions.Api;
using DiffusionFunctions.Api.Functions;
using DiffusionFunctions.Api.Resources;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Policy;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker;
using DiffusionFunctions.Worker.Functions;
using DiffusionFunctions.Worker.Processing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DiffusionFunctions.Training.Tests.Api;

/// <summary>
/// The API's service graph and the worker's real host (model loaded and warmed up, CPU) over fresh Azurite names, serving
/// one model folder: a job goes in through the API's submit function and is run by the worker's queue function.
/// </summary>
internal sealed class ApiWorkerHost : IAsyncDisposable
{
    private readonly IHost worker;
    private readonly ServiceProvider api;

    private ApiWorkerHost(AzuriteFixture azurite, AzuriteTestNames names, IHost worker, ServiceProvider api)
    {
        Azurite = azurite;
        Names = names;
        this.worker = worker;
        this.api = api;
    }

    public AzuriteFixture Azurite { get; }

    public AzuriteTestNames Names { get; }

    public DiffusionJobsClient Jobs => worker.Services.GetRequiredService<DiffusionJobsClient>();

    public static async Task<ApiWorkerHost> StartAsync(AzuriteFixture azurite, string modelFolder)
    {
        var names = azurite.CreateNames();
        var values = names.ToSettings();
        values["DiffusionFunctions:Worker:ModelPath"] = modelFolder;
        values["DiffusionFunctions:Engine:Provider"] = "Cpu";

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(values);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddDiffusionWorker(builder.Configuration);
        var worker = builder.Build();
        await worker.StartAsync();

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddDiffusionApi(configuration);
        services.AddPromptPolicy(configuration);
        return new ApiWorkerHost(azurite, names, worker, services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }));
    }

    /// <summary>Submits <paramref name="json"/> through the API's submit function and returns the 202's job.</summary>
    public async Task<GenerationResource> SubmitAsync(string json)
    {
        var request = HttpRequestBuilder.Post("/api/generations").WithJson(json).Build();
        var result = await ActivatorUtilities.CreateInstance<SubmitGenerationFunction>(api).SubmitGeneration(request, CancellationToken.None);
        var accepted = Assert.IsAssignableFrom<ObjectResult>(result);
        Assert.Equal(202, accepted.StatusCode);
        return Assert.IsType<GenerationResource>(accepted.Value);
    }

    /// <summary>Receives the next generation message and runs it through the worker's queue function.</summary>
    public async Task<JobProcessingOutcome> ProcessNextAsync()
    {
        var queue = Azurite.QueueService.GetQueueClient(Names.GenerationQueue);
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        QueueMessage? message;
        while ((message = (await queue.ReceiveMessageAsync(TimeSpan.FromMinutes(5))).Value) is null)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "No generation message became visible within 10 s.");
            await Task.Delay(50);
        }

        var outcome = await ActivatorUtilities.CreateInstance<ProcessGenerationFunction>(worker.Services).ProcessGeneration(message, CancellationToken.None);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        return outcome;
    }

    /// <summary>The bytes of one result blob.</summary>
    public async Task<byte[]> DownloadResultAsync(string blobName) =>
        (await Azurite.BlobService.GetBlobContainerClient(Names.ResultsContainer).GetBlobClient(blobName).DownloadContentAsync()).Value.Content.ToArray();

    public async ValueTask DisposeAsync()
    {
        await worker.StopAsync();
        worker.Dispose();
        await api.DisposeAsync();
    }
}
