using System.Collections.Concurrent;
using Azure.Storage.Queues;
using DiffusionFunctions.Core.Storage;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Queue;

/// <summary>
/// Sends <see cref="GenerationQueueMessage"/>s to the generation queue, or to a model's own queue (base64-encoded, as the
/// worker's trigger reads them).
/// </summary>
public class GenerationQueueClient
{
    private readonly QueueClient _queue;
    private readonly QueueServiceClient? _queueService;
    private readonly ConcurrentDictionary<string, QueueClient> _queues = new(StringComparer.Ordinal);

    /// <summary>Creates the client for the queue named in <paramref name="storage"/>.</summary>
    public GenerationQueueClient(QueueServiceClient queueService, IOptions<DiffusionStorageOptions> storage)
    {
        ArgumentNullException.ThrowIfNull(queueService);
        ArgumentNullException.ThrowIfNull(storage);
        _queueService = queueService;
        _queue = queueService.GetQueueClient(storage.Value.GenerationQueue);
        _queues[_queue.Name] = _queue;
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

    /// <summary>Enqueues <paramref name="message"/> on the queue named <paramref name="queueName"/> (a model's queue).</summary>
    public virtual async Task SendAsync(GenerationQueueMessage message, string queueName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        var queue = _queues.GetOrAdd(queueName, name => _queueService!.GetQueueClient(name));
        await queue.SendMessageAsync(message.ToJson(), cancellationToken).ConfigureAwait(false);
    }
}
