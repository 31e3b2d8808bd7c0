using Azure.Storage.Queues.Models;
using DiffusionFunctions.Worker.Processing;
using Microsoft.Azure.Functions.Worker;

namespace DiffusionFunctions.Worker.Functions;

/// <summary>
/// The generation queue trigger: hands each delivery to <see cref="GenerationJobProcessor"/>. Returning completes the
/// message; an exception (a transient failure) leaves it to be delivered again after the visibility timeout.
/// </summary>
public sealed class ProcessGenerationFunction(GenerationJobProcessor processor)
{
    /// <summary>Processes one message.</summary>
    [Function(nameof(ProcessGeneration))]
    public Task<JobProcessingOutcome> ProcessGeneration(
        [QueueTrigger(WorkerQueueSettings.GenerationQueue, Connection = WorkerQueueSettings.Connection)] QueueMessage message,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return processor.ProcessAsync(message.MessageText, message.DequeueCount, cancellationToken);
    }
}
