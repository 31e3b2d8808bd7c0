using Azure.Storage.Queues.Models;
using DiffusionFunctions.Core.Logos;
using DiffusionFunctions.Worker.Hosting;
using DiffusionFunctions.Worker.Logos;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Functions;

/// <summary>
/// The logo events queue's poison trigger: an upload event that failed <c>maxDequeueCount</c> deliveries lands here and
/// the upload still gets its answer (<see cref="LogoUploadProcessor.AnswerPoisonedAsync"/>): its stored run carries on,
/// or it is refused as unprocessed (<c>{name}.rejected.json</c> and a <c>.Failed</c> event).
/// </summary>
public sealed class LogoUploadPoisonFunction(LogoUploadProcessor processor, IOptions<LogoOptions> options, IOptions<WorkerOptions> worker) : IInProcessQueueFunction
{
    /// <summary>The poison queue's name, as a binding expression.</summary>
    public const string Queue = ProcessLogoUploadFunction.Queue + "-poison";

    /// <inheritdoc />
    public string QueueName => options.Value.RequestsEventsQueue + "-poison";

    /// <summary>Answers one poisoned upload event.</summary>
    [Function(nameof(AnswerPoisonedLogoUpload))]
    public async Task AnswerPoisonedLogoUpload(
        [QueueTrigger(Queue, Connection = WorkerQueueSettings.Connection)] QueueMessage message,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await processor.AnswerPoisonedAsync(message.MessageText, worker.Value.MaxDequeueCount, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task HandleAsync(QueueMessage message, CancellationToken cancellationToken) => AnswerPoisonedLogoUpload(message, cancellationToken);
}
