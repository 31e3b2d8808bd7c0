using Azure.Storage.Queues.Models;

namespace DiffusionFunctions.Worker.Hosting;

/// <summary>
/// A queue function besides the generation queue's (a workflow's upload events) that <see cref="InProcessQueueListener"/>
/// also drives when there is no Functions host. Register it as <c>IInProcessQueueFunction</c> in the worker's services; the
/// real host runs the class's own <c>[QueueTrigger]</c> method instead.
/// </summary>
public interface IInProcessQueueFunction
{
    /// <summary>The queue the function reads (its poison queue is <c>{QueueName}-poison</c>).</summary>
    string QueueName { get; }

    /// <summary>Handles one message; throwing leaves it for redelivery, as the host does.</summary>
    Task HandleAsync(QueueMessage message, CancellationToken cancellationToken);
}
