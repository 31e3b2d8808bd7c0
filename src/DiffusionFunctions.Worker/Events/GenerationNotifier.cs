using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Storage;
using DiffusionFunctions.Core.Telemetry;
using DiffusionFunctions.Worker.Processing;
using DiffusionFunctions.Worker.Webhooks;
using Microsoft.Extensions.Logging;

namespace DiffusionFunctions.Worker.Events;

/// <summary>
/// Tells the world that a job finished, once: publishes its CloudEvent to the configured <see cref="IGenerationEventSink"/>
/// and, when the job has a <c>callbackUrl</c>, to that URL as a signed webhook; then notes it in <see cref="WorkerJobNotes"/>.
/// A sink failure throws (the queue message is retried and the event goes out on redelivery); a webhook that cannot be
/// delivered after its retries is logged and not retried further, so one broken receiver cannot hold up the queue.
/// </summary>
public sealed class GenerationNotifier(
    IGenerationEventSink sink,
    WebhookSender webhooks,
    WorkerJobNotes notes,
    ResultUrlSigner urls,
    ILogger<GenerationNotifier> logger)
{
    /// <summary>Publishes the final event of <paramref name="job"/> unless that was already done.</summary>
    /// <param name="job">The finished job.</param>
    /// <param name="justFinished">
    /// True when the caller itself just moved the job to its final state, so no event for that state can exist yet and the
    /// note need not be read (two storage calls fewer per job).
    /// </param>
    /// <param name="cancellationToken">Cancels the publishing.</param>
    /// <returns>True when the event was published by this call.</returns>
    public async Task<bool> NotifyOnceAsync(JobRecord job, bool justFinished, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        using var activity = DiffusionTelemetry.Source.StartActivity("generation.event")?
            .SetTag(DiffusionTelemetry.JobIdTag, job.Id).SetTag("diffusion.job.status", job.Status.ToWireName());
        var eventId = GenerationCloudEvents.EventIdFor(job.Id, job.Status);
        var note = justFinished ? null : await notes.GetAsync(job.Id, cancellationToken).ConfigureAwait(false);
        if (note?.NotifiedEventId == eventId)
        {
            logger.LogInformation("Job {JobId} event {EventId} was already published; not sending it again", job.Id, eventId);
            return false;
        }

        var cloudEvent = GenerationCloudEvents.Create(job, urls.GetBlobUri);
        await sink.PublishAsync(cloudEvent, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Published {EventType} for job {JobId} to {Sink}", cloudEvent.Type, job.Id, sink.Description);

        if (job.Parameters.CallbackUrl is { } callback && Uri.TryCreate(callback, UriKind.Absolute, out var callbackUrl))
        {
            await webhooks.SendAsync(callbackUrl, cloudEvent, cancellationToken).ConfigureAwait(false);
        }

        await notes.WriteAsync(job.Id, (note ?? new WorkerJobNote(null, null)) with { NotifiedEventId = eventId }, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
