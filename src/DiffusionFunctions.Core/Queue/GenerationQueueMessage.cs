using System.Text.Json;

namespace DiffusionFunctions.Core.Queue;

/// <summary>
/// The message the API puts on the generation queue for each accepted job: small JSON (well under the 64 KiB queue
/// limit) that points at the job record; it never carries prompts or image bytes. Base64-encoded on the queue, as
/// <c>host.json</c> (<c>extensions.queues.messageEncoding</c>) expects.
/// </summary>
public sealed record GenerationQueueMessage
{
    /// <summary>The schema version this code writes.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Schema version of the message; readers refuse versions they do not know.</summary>
    public required int SchemaVersion { get; init; }

    /// <summary>The job id.</summary>
    public required string JobId { get; init; }

    /// <summary>The container holding the job record.</summary>
    public required string JobsContainer { get; init; }

    /// <summary>The blob name of the job record in <see cref="JobsContainer"/>.</summary>
    public required string JobBlob { get; init; }

    /// <summary>A message for <paramref name="jobId"/> whose record lives in <paramref name="jobsContainer"/>.</summary>
    public static GenerationQueueMessage For(string jobId, string jobsContainer) => new()
    {
        SchemaVersion = CurrentSchemaVersion,
        JobId = jobId,
        JobsContainer = jobsContainer,
        JobBlob = Jobs.DiffusionJobsClient.BlobNameFor(jobId),
    };

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

        if (message.SchemaVersion != CurrentSchemaVersion)
        {
            throw new FormatException($"The generation queue message has schema version {message.SchemaVersion}; this code reads version {CurrentSchemaVersion}.");
        }

        if (!Jobs.JobIds.IsValid(message.JobId))
        {
            throw new FormatException($"The generation queue message carries an invalid job id '{message.JobId}'.");
        }

        return message;
    }
}
