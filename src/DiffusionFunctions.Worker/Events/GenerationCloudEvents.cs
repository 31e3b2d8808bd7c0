using System.Text.Json;
using Azure.Messaging;
using DiffusionFunctions.Core;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Notifications;

namespace DiffusionFunctions.Worker.Events;

/// <summary>Builds the CloudEvent 1.0 of a finished job and its JSON form (what the events queue and webhooks carry).</summary>
public static class GenerationCloudEvents
{
    /// <summary>
    /// The event of a finished job: type from <see cref="GenerationEventTypes"/>, subject <c>generations/{id}</c>, data
    /// <see cref="GenerationEventData"/> with plain (unsigned) result blob URLs. The id is derived from the job id and final
    /// status, so a redelivered notification carries the same id and receivers can drop duplicates.
    /// </summary>
    public static CloudEvent Create(JobRecord job, Func<string, Uri> resultUrl)
    {
        ArgumentNullException.ThrowIfNull(job);
        var data = GenerationEventData.FromJob(job, resultUrl);
        return new CloudEvent(
            GenerationEventTypes.Source,
            GenerationEventTypes.ForStatus(job.Status),
            BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(data, DiffusionJson.Options)),
            "application/json",
            CloudEventDataFormat.Json)
        {
            Id = EventIdFor(job.Id, job.Status),
            Subject = GenerationEventTypes.SubjectFor(job.Id),
            Time = job.FinishedAt ?? job.UpdatedAt,
        };
    }

    /// <summary>The CloudEvent id of a job's final event: <c>{jobId}-{status}</c>.</summary>
    public static string EventIdFor(string jobId, JobStatus status) => jobId + "-" + status.ToWireName();

    /// <summary>The structured-mode JSON of <paramref name="cloudEvent"/> (<c>application/cloudevents+json</c>).</summary>
    public static byte[] ToJsonBytes(CloudEvent cloudEvent) => JsonSerializer.SerializeToUtf8Bytes(cloudEvent);

    /// <summary>Parses the structured-mode JSON of one CloudEvent.</summary>
    public static CloudEvent Parse(BinaryData json)
        => CloudEvent.Parse(json) ?? throw new FormatException("The text is not a CloudEvent.");
}
