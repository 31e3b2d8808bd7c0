using Azure.Storage.Queues.Models;
using DiffusionFunctions.Worker.Processing;
using Microsoft.Azure.Functions.Worker;

namespace DiffusionFunctions.Worker.Functions;

/// <summary>
/// The poison queue trigger: a generation message that failed <c>maxDequeueCount</c> times lands here, and its job is
/// marked failed (code <c>retries-exhausted</c>, the last error as the reason) with a failure event, so no job stays
/// queued or running forever. The trigger consumes the poison message; the job record keeps the reason and the worker
/// logs keep every delivery's error.
/// </summary>
public sealed class GenerationPoisonFunction(GenerationJobProcessor processor)
{
    /// <summary>Fails the job of one poison message.</summary>
    [Function(nameof(FailPoisonedGeneration))]
    public Task<JobProcessingOutcome> FailPoisonedGeneration(
        [QueueTrigger(WorkerQueueSettings.PoisonQueue, Connection = WorkerQueueSettings.Connection)] QueueMessage message,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return processor.FailExhaustedAsync(message.MessageText, cancellationToken);
    }
}
