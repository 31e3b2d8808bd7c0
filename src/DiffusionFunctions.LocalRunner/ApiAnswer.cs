using System.Net;
using System.Text.Json;

namespace DiffusionFunctions.LocalRunner;

/// <summary>
/// One HTTP answer of the API read defensively: its status, and its body as JSON when it is JSON. Problems
/// (<c>application/problem+json</c>) are described in the API's own words (status, type, detail) rather than crashing on
/// a missing member.
/// </summary>
internal sealed record ApiAnswer(HttpStatusCode Status, JsonElement? Json, string Text)
{
    public static async Task<ApiAnswer> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement? json = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            json = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Not JSON (an empty 404 of the Functions host, a proxy's HTML page): described by its text.
        }

        return new ApiAnswer(response.StatusCode, json, text);
    }

    /// <summary>Retrying may help: the service or storage is briefly unavailable, or the request timed out.</summary>
    public bool IsTransient => Status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout
        or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError;

    /// <summary>A string member of the JSON body, or null.</summary>
    public string? Member(string name)
        => Json is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>"the API answered 503 storage-unavailable: Storage did not answer." — the problem's own words.</summary>
    public string Describe()
    {
        var type = Member("type");
        var detail = Member("detail") ?? Member("title");
        var what = type is null ? "" : " " + type[(type.LastIndexOf('/') + 1)..];
        var body = detail ?? (Text.Length > 300 ? Text[..300] + "..." : Text);
        return $"the API answered {(int)Status}{what}" + (body.Length > 0 ? ": " + body : "");
    }
}
