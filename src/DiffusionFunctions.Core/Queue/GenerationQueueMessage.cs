using System.Text.Json;

namespace DiffusionFunctions.Core.Queue;

/// <summary>
/// The message the API puts on the generation queue for each accepted job: small JSON (well under the 64 KiB queue
/// limit) that points at the job record; it never carries prompts or image bytes. Base64-encoded on the queue, as
/// <c>host.json</c> (<c>extensions.queues.messageEncoding</c>) expects.
/// </summary>
/// <remarks>
/// Schema versions: 1 names the job; 2 adds the submitter's W3C trace context (<see cref="TraceParent"/>,
/// <see cref="TraceState"/>, both optional), so one trace spans the HTTP submit and the worker's processing. Readers
/// take both; a version-1 message (or a version-2 one without trace context) is processed in a trace of its own. Deploy
/// workers before the API when moving from version 1: a version-1 worker refuses version-2 messages.
/// </remarks>
public sealed record GenerationQueueMessage
{
    /// <summary>The schema version this code writes.</summary>
    public const int CurrentSchemaVersion = 2;

    /// <summary>The oldest schema version this code still reads.</summary>
    public const int OldestReadableSchemaVersion = 1;

    /// <summary>Schema version of the message; readers refuse versions they do not know.</summary>
    public required int SchemaVersion { get; init; }

    /// <summary>The job id.</summary>
    public required string JobId { get; init; }

    /// <summary>The container holding the job record.</summary>
    public required string JobsContainer { get; init; }

    /// <summary>The blob name of the job record in <see cref="JobsContainer"/>.</summary>
    public required string JobBlob { get; init; }

    /// <summary>The submitter's W3C <c>traceparent</c> (schema 2; absent when the submit was not traced).</summary>
    public string? TraceParent { get; init; }

    /// <summary>The submitter's W3C <c>tracestate</c>, if any (schema 2).</summary>
    public string? TraceState { get; init; }

    /// <summary>The trace context the message carries, or null.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Telemetry.TraceContext? Trace => TraceParent is { } parent ? new Telemetry.TraceContext(parent, TraceState) : null;

    /// <summary>
    /// A message for <paramref name="jobId"/> whose record lives in <paramref name="jobsContainer"/>, carrying the trace
    /// context of the current activity when there is one.
    /// </summary>
    public static GenerationQueueMessage For(string jobId, string jobsContainer)
    {
        var trace = Telemetry.TraceContext.FromCurrentActivity();
        return new()
        {
            SchemaVersion = CurrentSchemaVersion,
            JobId = jobId,
            JobsContainer = jobsContainer,
            JobBlob = Jobs.DiffusionJobsClient.BlobNameFor(jobId),
            TraceParent = trace?.TraceParent,
            TraceState = trace?.TraceState,
        };
    }

    /// <summary>The JSON text of the message.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, DiffusionJson.Options);

    /// <summary>Parses a message; throws <see cref="FormatException"/> for malformed JSON, a missing field or an unknown schema version.</summary>
    public static GenerationQueueMessage Parse(string json)
    {
        GenerationQueueMessage? message;
        try
        {
            message = JsonSerializer.Deserialize<GenerationQueueMessage>(json, DiffusionJson.Options);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The generation queue message is not valid: {ex.Message}", ex);
        }

        if (message is null)
        {
            throw new FormatException("The generation queue message is empty.");
        }

        if (message.SchemaVersion is < OldestReadableSchemaVersion or > CurrentSchemaVersion)
        {
            throw new FormatException(
                $"The generation queue message has schema version {message.SchemaVersion}; this code reads versions {OldestReadableSchemaVersion} to {CurrentSchemaVersion}.");
        }

        if (!Jobs.JobIds.IsValid(message.JobId))
        {
            throw new FormatException($"The generation queue message carries an invalid job id '{message.JobId}'.");
        }

        return message;
    }
}
