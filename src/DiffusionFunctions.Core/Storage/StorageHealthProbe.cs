using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Storage;

/// <summary>The result of a storage health check.</summary>
/// <param name="IsHealthy">True when the jobs container and the generation queue answered.</param>
/// <param name="Detail">What failed, when unhealthy.</param>
public sealed record StorageHealth(bool IsHealthy, string? Detail);

/// <summary>Checks that the jobs container and the generation queue (each model's, with a model list) answer within a few seconds.</summary>
public class StorageHealthProbe(
    BlobServiceClient blobService,
    QueueServiceClient queueService,
    IOptions<DiffusionStorageOptions> storage,
    Routing.DeployedModels models,
    ILogger<StorageHealthProbe> logger)
{
    /// <summary>How long the probe waits for storage before calling it unreachable.</summary>
    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(5);

    /// <summary>Probes storage.</summary>
    public virtual async Task<StorageHealth> CheckAsync(CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Timeout);
        try
        {
            var o = storage.Value;
            if (!await blobService.GetBlobContainerClient(o.JobsContainer).ExistsAsync(cts.Token).ConfigureAwait(false))
            {
                return new StorageHealth(false, $"The jobs container '{o.JobsContainer}' does not exist.");
            }

            // Every queue the API sends to: each listed model's, else DiffusionFunctions:Storage:GenerationQueue.
            foreach (var queue in models.All.Select(m => m.Queue))
            {
                if (!await queueService.GetQueueClient(queue).ExistsAsync(cts.Token).ConfigureAwait(false))
                {
                    return new StorageHealth(false, $"The generation queue '{queue}' does not exist.");
                }
            }

            return new StorageHealth(true, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Storage did not answer within {Timeout}", Timeout);
            return new StorageHealth(false, $"Storage did not answer within {Timeout.TotalSeconds:0} s.");
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or AggregateException or HttpRequestException)
        {
            logger.LogWarning(ex, "Storage is unreachable");
            return new StorageHealth(false, "Storage is unreachable: " + ex.Message.Split('\n')[0]);
        }
    }
}
