using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Storage;

/// <summary>
/// Creates the containers (jobs, inputs, results, batch requests, logo requests) and queues (generation, each listed
/// model's, their poison queues, events, batch request events and logo request events, each with its poison queue) at
/// start-up when
/// they are missing, unless <see cref="DiffusionStorageOptions.CreateResourcesOnStartup"/> is off (infrastructure
/// created by <c>bicep/</c>).
/// </summary>
public sealed class StorageResourcesInitializer(
    BlobServiceClient blobService,
    QueueServiceClient queueService,
    IOptions<DiffusionStorageOptions> storage,
    Routing.DeployedModels models,
    IOptions<Workflows.Batches.BatchOptions> batches,
    IOptions<Logos.LogoOptions> logos,
    ILogger<StorageResourcesInitializer> logger) : IHostedService
{
    /// <summary>Creates whatever is missing.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        var o = storage.Value;
        var b = batches.Value;
        var l = logos.Value;
        foreach (var container in new[] { o.JobsContainer, o.InputsContainer, o.ResultsContainer, b.RequestsContainer, l.RequestsContainer })
        {
            await blobService.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var modelQueues = models.All.Select(m => m.Queue).Where(q => q != o.GenerationQueue).SelectMany(q => new[] { q, q + "-poison" });
        foreach (var queue in new[] { o.GenerationQueue, o.PoisonQueue, o.EventsQueue, b.RequestsEventsQueue, b.RequestsEventsQueue + "-poison", l.RequestsEventsQueue, l.RequestsEventsQueue + "-poison" }.Concat(modelQueues))
        {
            await queueService.GetQueueClient(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        logger.LogInformation(
            "Storage ready: containers {Jobs}, {Inputs}, {Results}; queues {Queue}, {Poison}, {Events}",
            o.JobsContainer, o.InputsContainer, o.ResultsContainer, o.GenerationQueue, o.PoisonQueue, o.EventsQueue);
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
        => storage.Value.CreateResourcesOnStartup ? EnsureCreatedAsync(cancellationToken) : Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
