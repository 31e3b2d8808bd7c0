using Azure.Messaging;

namespace DiffusionFunctions.Worker.Events;

/// <summary>Where finished-job CloudEvents are published (an Event Grid topic, or the local events queue).</summary>
public interface IGenerationEventSink
{
    /// <summary>A short description for logs ("Event Grid topic https://...", "storage queue generation-events").</summary>
    string Description { get; }

    /// <summary>Publishes one event; throws when it could not be delivered (the job notification is then retried).</summary>
    Task PublishAsync(CloudEvent cloudEvent, CancellationToken cancellationToken);
}
