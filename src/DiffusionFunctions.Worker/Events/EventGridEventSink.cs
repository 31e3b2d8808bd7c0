using Azure.Messaging;
using Azure.Messaging.EventGrid;

namespace DiffusionFunctions.Worker.Events;

/// <summary>Publishes CloudEvents to an Event Grid custom topic with <see cref="EventGridPublisherClient"/>.</summary>
public sealed class EventGridEventSink(EventGridPublisherClient client, Uri endpoint) : IGenerationEventSink
{
    /// <inheritdoc />
    public string Description => "Event Grid topic " + endpoint;

    /// <inheritdoc />
    public async Task PublishAsync(CloudEvent cloudEvent, CancellationToken cancellationToken)
        => await client.SendEventAsync(cloudEvent, cancellationToken).ConfigureAwait(false);
}
