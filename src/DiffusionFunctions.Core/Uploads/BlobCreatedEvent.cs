using System.Text.Json;
using System.Text.Json.Nodes;

namespace DiffusionFunctions.Core.Uploads;

/// <summary>
/// A <c>Microsoft.Storage.BlobCreated</c> event in the Event Grid schema, as the storage account's system topic delivers
/// it to a storage queue (one event per message, base64 text on the queue; a one-element array is accepted too). Locally,
/// where Azurite has no Event Grid, <see cref="ToJson"/> writes the same shape (<c>dfx logo upload</c>, the local runner's
/// container watcher), so the queue trigger has one input format in both places.
/// </summary>
/// <param name="Id">The event id.</param>
/// <param name="Container">The container, from <c>subject</c>.</param>
/// <param name="BlobName">The blob name, from <c>subject</c>.</param>
/// <param name="Url">The blob URL (<c>data.url</c>).</param>
/// <param name="ETag">The blob's ETag when created (<c>data.eTag</c>), if given.</param>
/// <param name="ContentType">The content type it was uploaded with (<c>data.contentType</c>), if given.</param>
/// <param name="ContentLength">Its length in bytes (<c>data.contentLength</c>), if given.</param>
public sealed record BlobCreatedEvent(string Id, string Container, string BlobName, Uri? Url, string? ETag, string? ContentType, long? ContentLength)
{
    /// <summary>The Event Grid event type.</summary>
    public const string EventType = "Microsoft.Storage.BlobCreated";

    private const string SubjectPrefix = "/blobServices/default/containers/";
    private const string BlobsSegment = "/blobs/";

    /// <summary>The event's subject: <c>/blobServices/default/containers/{container}/blobs/{name}</c>.</summary>
    public string Subject => SubjectPrefix + Container + BlobsSegment + BlobName;

    /// <summary>
    /// Reads one queue message's text. False (with a reason) when it is not a BlobCreated event in the Event Grid
    /// schema; such a message can never become one, so the caller logs and drops it.
    /// </summary>
    public static bool TryParse(string text, out BlobCreatedEvent? created, out string? reason)
    {
        created = null;
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            reason = "not JSON: " + ex.Message;
            return false;
        }

        if (root is JsonArray { Count: 1 } array)
        {
            root = array[0];
        }

        if (root is not JsonObject e)
        {
            reason = "not one Event Grid event (a JSON object)";
            return false;
        }

        var type = Text(e, "eventType");
        if (type != EventType)
        {
            reason = $"event type '{type ?? "(none)"}' is not {EventType}";
            return false;
        }

        var subject = Text(e, "subject") ?? string.Empty;
        var blobs = subject.IndexOf(BlobsSegment, StringComparison.Ordinal);
        if (!subject.StartsWith(SubjectPrefix, StringComparison.Ordinal) || blobs < SubjectPrefix.Length + 1 || blobs + BlobsSegment.Length >= subject.Length)
        {
            reason = $"subject '{subject}' does not name a blob ({SubjectPrefix}{{container}}{BlobsSegment}{{name}})";
            return false;
        }

        var data = e["data"] as JsonObject;
        created = new BlobCreatedEvent(
            Text(e, "id") ?? string.Empty,
            subject[SubjectPrefix.Length..blobs],
            subject[(blobs + BlobsSegment.Length)..],
            Uri.TryCreate(data is null ? null : Text(data, "url"), UriKind.Absolute, out var url) ? url : null,
            data is null ? null : Text(data, "eTag"),
            data is null ? null : Text(data, "contentType"),
            data?["contentLength"] is JsonValue length && length.TryGetValue<long>(out var bytes) ? bytes : null);
        reason = null;
        return true;
    }

    /// <summary>The Event Grid-schema JSON of this event, as the system topic writes it (one object).</summary>
    public string ToJson(string? topic = null, DateTimeOffset? time = null)
    {
        var data = new JsonObject
        {
            ["api"] = "PutBlob",
            ["contentType"] = ContentType,
            ["contentLength"] = ContentLength,
            ["blobType"] = "BlockBlob",
            ["url"] = Url?.AbsoluteUri,
            ["eTag"] = ETag,
        };
        var e = new JsonObject
        {
            ["topic"] = topic,
            ["subject"] = Subject,
            ["eventType"] = EventType,
            ["id"] = Id,
            ["data"] = data,
            ["dataVersion"] = string.Empty,
            ["metadataVersion"] = "1",
            ["eventTime"] = (time ?? DateTimeOffset.UtcNow).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        };
        return e.ToJsonString();
    }

    private static string? Text(JsonObject o, string name)
        => o[name] is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
}
