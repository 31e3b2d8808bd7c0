using Azure.Messaging;
using Azure.Storage.Queues;
using DiffusionFunctions.Core.Storage;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Events;

/// <summary>
/// Publishes CloudEvents (structured JSON, base64 on the queue like every queue of the apps) to the storage queue
/// <c>DiffusionFunctions:Storage:EventsQueue</c>: the stand-in for Event Grid when no topic is configured.
/// </summary>
public sealed class QueueEventSink : IGenerationEventSink
{
    private readonly QueueClient _queue;

    /// <summary>Creates the sink for the events queue named in <paramref name="storage"/>.</summary>
    public QueueEventSink(QueueServiceClient queueService, IOptions<DiffusionStorageOptions> storage)
    {
        ArgumentNullException.ThrowIfNull(queueService);
        ArgumentNullException.ThrowIfNull(storage);
        _queue = queueService.GetQueueClient(storage.Value.EventsQueue);
    }

    /// <inheritdoc />
    public string Description => "storage queue " + _queue.Name;

    /// <inheritdoc />
    public async Task PublishAsync(CloudEvent cloudEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        await _queue.SendMessageAsync(new BinaryData(GenerationCloudEvents.ToJsonBytes(cloudEvent)), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
    }
}
