using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DiffusionFunctions.Core.Workflows;

/// <summary>
/// A <c>Microsoft.Storage.BlobCreated</c> event in the Event Grid schema: what an Event Grid subscription on the storage
/// account's system topic puts on a storage queue (one event per message), and what the local run (and <c>dfx</c>) puts on
/// the same queue for an upload to Azurite, which has no Event Grid. Upload-triggered workflows (logo briefs, batch JSONL)
/// read their uploads from it: container and name from <c>subject</c>, the blob's <c>data.eTag</c> for the run id.
/// </summary>
public sealed record BlobCreatedEvent
{
    /// <summary>The Event Grid event type.</summary>
    public const string EventType = "Microsoft.Storage.BlobCreated";

    private const string SubjectPrefix = "/blobServices/default/containers/";

    /// <summary>The event id.</summary>
    public required string Id { get; init; }

    /// <summary>The container.</summary>
    public required string Container { get; init; }

    /// <summary>The blob name.</summary>
    public required string BlobName { get; init; }

    /// <summary>The ETag of the blob the event is about.</summary>
    public required string ETag { get; init; }

    /// <summary>The blob's URL.</summary>
    public Uri? Url { get; init; }

    /// <summary>The blob's content type.</summary>
    public string? ContentType { get; init; }

    /// <summary>The blob's size in bytes.</summary>
    public long? ContentLength { get; init; }

    /// <summary>When the blob was created.</summary>
    public DateTimeOffset? EventTime { get; init; }

    /// <summary>Parses one Event Grid schema event; a clear <see cref="FormatException"/> when it is not a BlobCreated event.</summary>
    public static BlobCreatedEvent Parse(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The message is not JSON: {ex.Message}", ex);
        }

        // A subscription with a batch size may deliver an array; the queue destination delivers one event per message.
        if (node is JsonArray { Count: 1 } single)
        {
            node = single[0];
        }

        if (node is not JsonObject root)
        {
            throw new FormatException("The message is not an Event Grid event (a JSON object).");
        }

        var type = (string?)root["eventType"];
        if (type != EventType)
        {
            throw new FormatException($"The event type is '{type}', not '{EventType}'.");
        }

        var subject = (string?)root["subject"] ?? throw new FormatException("The event has no subject.");
        var blobs = subject.IndexOf("/blobs/", StringComparison.Ordinal);
        if (!subject.StartsWith(SubjectPrefix, StringComparison.Ordinal) || blobs < SubjectPrefix.Length)
        {
            throw new FormatException($"The subject '{subject}' does not name a blob.");
        }

        var container = subject[SubjectPrefix.Length..blobs];
        var name = subject[(blobs + "/blobs/".Length)..];
        if (container.Length == 0 || name.Length == 0)
        {
            throw new FormatException($"The subject '{subject}' does not name a blob.");
        }

        var data = root["data"] as JsonObject ?? throw new FormatException("The event has no data.");
        var etag = (string?)data["eTag"];
        if (string.IsNullOrEmpty(etag))
        {
            throw new FormatException("The event's data has no eTag.");
        }

        return new BlobCreatedEvent
        {
            Id = (string?)root["id"] ?? "",
            Container = container,
            BlobName = name,
            ETag = etag,
            Url = Uri.TryCreate((string?)data["url"], UriKind.Absolute, out var url) ? url : null,
            ContentType = (string?)data["contentType"],
            ContentLength = data["contentLength"] is JsonValue length && length.TryGetValue<long>(out var bytes) ? bytes : null,
            EventTime = DateTimeOffset.TryParse((string?)root["eventTime"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null,
        };
    }

    /// <summary>The Event Grid schema JSON of this event (what the local run and <c>dfx</c> enqueue).</summary>
    public string ToEventGridJson()
    {
        var root = new JsonObject
        {
            ["topic"] = "local",
            ["subject"] = SubjectPrefix + Container + "/blobs/" + BlobName,
            ["eventType"] = EventType,
            ["id"] = Id,
            ["data"] = new JsonObject
            {
                ["api"] = "PutBlob",
                ["eTag"] = ETag,
                ["contentType"] = ContentType,
                ["contentLength"] = ContentLength,
                ["blobType"] = "BlockBlob",
                ["url"] = Url?.AbsoluteUri,
            },
            ["dataVersion"] = "",
            ["metadataVersion"] = "1",
            ["eventTime"] = (EventTime ?? DateTimeOffset.UtcNow).ToString("O", CultureInfo.InvariantCulture),
        };
        return root.ToJsonString();
    }
}
