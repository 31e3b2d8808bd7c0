using Azure.Storage.Queues.Models;
using DiffusionFunctions.Worker.Hosting;
using DiffusionFunctions.Worker.Workflows;
using DiffusionFunctions.Core.Workflows.Batches;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Functions;

/// <summary>
/// The batch upload trigger: a <c>BlobCreated</c> event (Event Grid schema) for <c>batch-requests/*.jsonl</c> on the
/// <c>batch-requests-events</c> queue starts a batch (<see cref="BatchUploadHandler"/>). In the cloud Event Grid puts the
/// event there; locally the in-process run's upload watcher does. Returning completes the message; an exception (storage
/// unreachable) leaves it for redelivery, which is safe: the run id comes from the upload.
/// </summary>
public sealed class StartBatchFromUploadFunction(BatchUploadHandler handler, IOptions<BatchOptions> options) : IInProcessQueueFunction
{
    /// <summary>The queue's name setting, as a binding expression.</summary>
    public const string Queue = "%DiffusionFunctions:Batches:RequestsEventsQueue%";

    /// <inheritdoc />
    public string QueueName => options.Value.RequestsEventsQueue;

    /// <summary>Handles one event.</summary>
    [Function(nameof(StartBatchFromUpload))]
    public Task<BatchUploadOutcome> StartBatchFromUpload(
        [QueueTrigger(Queue, Connection = WorkerQueueSettings.Connection)] QueueMessage message,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return handler.HandleAsync(message.MessageText, cancellationToken);
    }

    /// <inheritdoc />
    public Task HandleAsync(QueueMessage message, CancellationToken cancellationToken) => StartBatchFromUpload(message, cancellationToken);
}
