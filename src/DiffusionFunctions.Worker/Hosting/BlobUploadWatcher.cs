using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DiffusionFunctions.Core.Workflows;
using Microsoft.Extensions.Logging;

namespace DiffusionFunctions.Worker.Hosting;

/// <summary>
/// The local stand-in for the Event Grid subscriptions on upload containers (Azurite has no Event Grid): lists each
/// <see cref="WorkflowUploadTrigger"/> container and puts a <see cref="BlobCreatedEvent"/> (Event Grid schema, the message
/// the cloud subscription delivers) on its queue for every blob name and ETag it has not seen yet. A restart sees the
/// blobs again and enqueues them again, which is harmless: runs are identified by the upload's name and ETag.
/// </summary>
public sealed class BlobUploadWatcher(BlobServiceClient blobs, QueueServiceClient queues, IEnumerable<WorkflowUploadTrigger> triggers, ILogger<BlobUploadWatcher> logger)
{
    private readonly HashSet<(string Container, string Name, string ETag)> _seen = [];
    private readonly WorkflowUploadTrigger[] _triggers = [.. triggers];

    /// <summary>Lists every trigger container once and enqueues an event per new upload; returns how many it enqueued.</summary>
    public async Task<int> ScanOnceAsync(CancellationToken cancellationToken)
    {
        var enqueued = 0;
        foreach (var trigger in _triggers)
        {
            var container = blobs.GetBlobContainerClient(trigger.Container);
            if (!await container.ExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var queue = queues.GetQueueClient(trigger.Queue);
            await foreach (var blob in container.GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                var etag = blob.Properties.ETag?.ToString() ?? "";
                if (!trigger.Accepts(blob.Name) || etag.Length == 0 || !_seen.Add((trigger.Container, blob.Name, etag)))
                {
                    continue;
                }

                var created = new BlobCreatedEvent
                {
                    Id = Guid.NewGuid().ToString(),
                    Container = trigger.Container,
                    BlobName = blob.Name,
                    ETag = etag,
                    Url = container.GetBlobClient(blob.Name).Uri,
                    ContentType = blob.Properties.ContentType,
                    ContentLength = blob.Properties.ContentLength,
                    EventTime = blob.Properties.CreatedOn,
                };
                await queue.SendMessageAsync(created.ToEventGridJson(), cancellationToken).ConfigureAwait(false);
                logger.LogInformation("Upload {Container}/{Blob}: BlobCreated event put on {Queue}", trigger.Container, blob.Name, trigger.Queue);
                enqueued++;
            }
        }

        return enqueued;
    }

    /// <summary>Scans every <paramref name="interval"/> until cancelled; a failed scan is logged and retried.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ScanOnceAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Scanning the upload containers failed; trying again");
                try
                {
                    await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
