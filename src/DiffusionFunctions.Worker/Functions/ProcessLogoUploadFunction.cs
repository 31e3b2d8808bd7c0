using Azure.Storage.Queues.Models;
using DiffusionFunctions.Core.Logos;
using DiffusionFunctions.Worker.Hosting;
using DiffusionFunctions.Worker.Logos;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Functions;

/// <summary>
/// The logo-on-upload trigger: a queue trigger on <c>logo-requests-events</c>, where Event Grid (in Azure) or the local
/// runner and <c>dfx logo upload</c> (on Azurite) put one <c>Microsoft.Storage.BlobCreated</c> event, Event Grid schema,
/// per upload to <c>logo-requests</c>. Not a blob trigger: on Flex Consumption that needs the Event Grid source, which
/// Azurite lacks, and this one path serves both. Returning completes the message; an exception (storage unreachable)
/// leaves it for redelivery, and the run it starts is the same on every delivery.
/// </summary>
public sealed class ProcessLogoUploadFunction(LogoUploadProcessor processor, IOptions<LogoOptions> options) : IInProcessQueueFunction
{
    /// <summary>The queue-name setting, as a binding expression.</summary>
    public const string Queue = "%DiffusionFunctions:Logos:RequestsEventsQueue%";

    /// <inheritdoc />
    public string QueueName => options.Value.RequestsEventsQueue;

    /// <summary>Handles one event.</summary>
    [Function(nameof(ProcessLogoUpload))]
    public async Task ProcessLogoUpload(
        [QueueTrigger(Queue, Connection = WorkerQueueSettings.Connection)] QueueMessage message,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await processor.ProcessAsync(message.MessageText, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task HandleAsync(QueueMessage message, CancellationToken cancellationToken) => ProcessLogoUpload(message, cancellationToken);
}
