using Azure.Storage.Queues;
using DiffusionFunctions.Core.Storage;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Queue;

/// <summary>Sends <see cref="GenerationQueueMessage"/>s to the generation queue (base64-encoded, as the worker's trigger reads them).</summary>
public class GenerationQueueClient
{
    private readonly QueueClient _queue;

    /// <summary>Creates the client for the queue named in <paramref name="storage"/>.</summary>
    public GenerationQueueClient(QueueServiceClient queueService, IOptions<DiffusionStorageOptions> storage)
    {
        ArgumentNullException.ThrowIfNull(queueService);
        ArgumentNullException.ThrowIfNull(storage);
        _queue = queueService.GetQueueClient(storage.Value.GenerationQueue);
    }

    /// <summary>For mocking.</summary>
    protected GenerationQueueClient() => _queue = null!;

    /// <summary>The queue's name.</summary>
    public virtual string QueueName => _queue.Name;

    /// <summary>Enqueues <paramref name="message"/>.</summary>
    public virtual async Task SendAsync(GenerationQueueMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        await _queue.SendMessageAsync(message.ToJson(), cancellationToken).ConfigureAwait(false);
    }
}
