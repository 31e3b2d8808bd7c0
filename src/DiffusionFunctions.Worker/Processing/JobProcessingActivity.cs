using System.Diagnostics;
using DiffusionFunctions.Core.Queue;
using DiffusionFunctions.Core.Telemetry;

namespace DiffusionFunctions.Worker.Processing;

/// <summary>
/// The worker's span for one delivery (<c>generation.process</c>, a consumer span). Its parent is the submitter's trace
/// context from the queue message, so the HTTP submit, the processing, the engine's phases, the upload and the event share
/// one trace id; the Functions invocation span, when there is one, is linked. A message without trace context (schema 1,
/// or an untraced submit) gets a trace of its own, under the invocation span.
/// </summary>
internal static class JobProcessingActivity
{
    public static Activity? Start(GenerationQueueMessage message, long dequeueCount)
    {
        var tags = new ActivityTagsCollection
        {
            [DiffusionTelemetry.JobIdTag] = message.JobId,
            ["messaging.system"] = "azure_storage_queue",
            ["messaging.operation.type"] = "process",
            ["diffusion.delivery"] = dequeueCount,
        };
        if (message.Trace is { } trace && trace.TryGetParent(out var parent))
        {
            var links = Activity.Current is { } invocation ? new[] { new ActivityLink(invocation.Context) } : null;
            return DiffusionTelemetry.Source.StartActivity("generation.process", ActivityKind.Consumer, parent, tags, links);
        }

        return DiffusionTelemetry.Source.StartActivity("generation.process", ActivityKind.Consumer, parentContext: default, tags);
    }
}
