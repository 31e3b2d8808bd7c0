using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace DiffusionFunctions.Core.Workflows;

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
        var created = new BlobCreatedEvent
        {
            Id = Guid.NewGuid().ToString(),
            Container = blob.BlobContainerName,
            BlobName = blob.Name,
            ETag = properties.ETag.ToString(),
            Url = blob.Uri,
            ContentType = properties.ContentType,
            ContentLength = properties.ContentLength,
            EventTime = properties.CreatedOn,
        };
        await queue.SendMessageAsync(created.ToEventGridJson(), cancellationToken).ConfigureAwait(false);
        return created;
    }
}
