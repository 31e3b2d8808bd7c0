using System.Text.Json;
using Azure.Messaging;
using DiffusionFunctions.Core;
using DiffusionFunctions.Core.Notifications;
using DiffusionFunctions.Core.Storage;
using DiffusionFunctions.Core.Workflows;
using DiffusionFunctions.Worker.Events;
using DiffusionFunctions.Worker.Webhooks;
using Microsoft.Extensions.Logging;

namespace DiffusionFunctions.Worker.Workflows;

/// <summary>
/// Publishes a finished run's one CloudEvent by the routes job events take: the configured <see cref="IGenerationEventSink"/>
/// (Event Grid topic or the events queue) and, when the run has a <c>callbackUrl</c>, a signed webhook
/// (<see cref="WebhookSender"/>). A sink failure throws (the delivery is retried); a webhook that fails after its retries is
/// logged, as for jobs.
/// </summary>
public sealed class WorkflowNotifier(IGenerationEventSink sink, WebhookSender webhooks, ResultUrlSigner urls, ILogger<WorkflowNotifier> logger)
{
    /// <summary>The CloudEvent of a finished run.</summary>
    public CloudEvent CreateEvent(WorkflowRunDefinition definition, WorkflowRunState state)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(state);
        var data = new WorkflowEventData
        {
            RunId = definition.Id,
            Kind = definition.Kind,
            Status = state.Status,
            Counts = state.Counts(),
            ManifestUrl = state.ManifestBlob is { } manifest ? urls.GetBlobUri(manifest).AbsoluteUri : null,
            SummaryUrl = state.SummaryBlob is { } summary ? urls.GetBlobUri(summary).AbsoluteUri : null,
            Properties = definition.Properties.Count == 0 ? null : definition.Properties,
            CreatedAt = definition.CreatedAt,
            FinishedAt = state.FinishedAt,
        };
        return new CloudEvent(
            WorkflowEventTypes.Source,
            WorkflowEventTypes.ForStatus(state.Status),
            BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(data, DiffusionJson.Options)),
            "application/json",
            CloudEventDataFormat.Json)
        {
            Id = WorkflowEventTypes.EventIdFor(definition.Id, state.Status),
            Subject = WorkflowEventTypes.SubjectFor(definition.Kind, definition.Id),
            Time = state.FinishedAt ?? state.UpdatedAt,
        };
    }

    /// <summary>Publishes the run's completion event.</summary>
    public async Task PublishAsync(WorkflowRunDefinition definition, WorkflowRunState state, CancellationToken cancellationToken)
    {
        var cloudEvent = CreateEvent(definition, state);
        await sink.PublishAsync(cloudEvent, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Published {EventType} for run {RunId} to {Sink}", cloudEvent.Type, definition.Id, sink.Description);
        if (definition.CallbackUrl is { } callback && Uri.TryCreate(callback, UriKind.Absolute, out var callbackUrl))
        {
            await webhooks.SendAsync(callbackUrl, cloudEvent, cancellationToken).ConfigureAwait(false);
        }
    }
}
