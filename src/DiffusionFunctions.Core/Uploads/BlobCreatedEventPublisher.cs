using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace DiffusionFunctions.Core.Uploads;

/// <summary>
/// Stands in for Event Grid where there is none (Azurite): puts the <see cref="BlobCreatedEvent"/> of a blob on a queue in
/// the Event Grid schema, exactly what the storage account's system topic delivers in Azure. Used by
/// <c>dfx logo upload</c> and the local runner; in Azure the Event Grid subscription does it and this is not needed.
/// </summary>
public static class BlobCreatedEventPublisher
{
    /// <summary>Reads <paramref name="blob"/>'s properties and enqueues its BlobCreated event on <paramref name="queue"/>.</summary>
    public static async Task<BlobCreatedEvent> PublishAsync(BlobClient blob, QueueClient queue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(queue);
        var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        var created = new BlobCreatedEvent(
            Guid.NewGuid().ToString(),
            blob.BlobContainerName,
            blob.Name,
            blob.Uri,
            properties.ETag.ToString(),
            properties.ContentType,
            properties.ContentLength);
        await queue.SendMessageAsync(created.ToJson(), cancellationToken).ConfigureAwait(false);
        return created;
    }
}
