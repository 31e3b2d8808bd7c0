using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DiffusionFunctions.Cli.Commands;

/// <summary>
/// The HTTP side of <c>dfx submit</c>: posts a job to a DiffusionFunctions API (<c>POST {api}/generations</c> with the
/// function key in <c>x-functions-key</c>), reads it back, downloads its result URLs. An answer that is not the documented
/// one becomes a <see cref="UsageException"/> quoting the API's problem title and detail, never a stack trace.
/// </summary>
internal sealed class GenerationApiClient(HttpClient http, Uri api, string? key)
{
    /// <summary>The API base for <paramref name="text"/>: an absolute http(s) URL; a bare host (no path) gets the Functions <c>/api</c> prefix.</summary>
    /// <exception cref="UsageException">Not an absolute http or https URL.</exception>
    public static Uri ParseBase(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--api must be an absolute http or https URL such as http://localhost:7071/api, not '{text}'.");
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        return new UriBuilder(uri) { Path = (path.Length == 0 ? "/api" : path) + "/" }.Uri;
    }

    /// <summary>Submits <paramref name="body"/>; returns the job and the URL to poll.</summary>
    public async Task<(JsonObject Job, Uri Location)> SubmitAsync(JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api, "generations"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var job = await ReadJobAsync(response, HttpStatusCode.Accepted, cancellationToken).ConfigureAwait(false);
        var id = job["id"]?.GetValue<string>() ?? throw new UsageException("the API accepted the job but its answer has no id.");
        var location = response.Headers.Location is { } header
            ? header.IsAbsoluteUri ? header : new Uri(api, header)
            : new Uri(api, "generations/" + Uri.EscapeDataString(id));
        return (job, location);
    }

    /// <summary>Reads the job at <paramref name="location"/>; <see langword="null"/> when the API is briefly unavailable (503), so the caller polls again.</summary>
    public async Task<JsonObject?> GetAsync(Uri location, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, location);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests
            ? null
            : await ReadJobAsync(response, HttpStatusCode.OK, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Downloads one result URL (a read-only SAS URL; no function key is sent to storage).</summary>
    public async Task<byte[]> DownloadAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new UsageException($"downloading {url.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new UsageException($"could not download {url.GetLeftPart(UriPartial.Path)}: {ex.Message}", ex);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (key is not null)
        {
            request.Headers.Add("x-functions-key", key);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            return await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new UsageException($"could not reach the API at {api}: {ex.Message} (is it running? see --api and DFX_API).", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UsageException($"the API at {api} did not answer in time.", ex);
        }
    }

    private static async Task<JsonObject> ReadJobAsync(HttpResponseMessage response, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        JsonNode? node = null;
        try
        {
            node = text.Length > 0 ? JsonNode.Parse(text) : null;
        }
        catch (JsonException)
        {
            // Not JSON: reported below with the status.
        }

        if (response.StatusCode == expected && node is JsonObject job)
        {
            return job;
        }

        var detail = node is JsonObject problem
            ? string.Join(": ", new[] { problem["title"], problem["detail"] }.Where(n => n is not null).Select(n => n!.ToString()))
                + Errors(problem)
            : "";
        throw new UsageException($"the API answered {(int)response.StatusCode} {response.ReasonPhrase}{(detail.Length > 0 ? ": " + detail : ".")}");
    }

    // A validation problem's "errors": {"width": ["..."]} as " (width: ...)".
    private static string Errors(JsonObject problem) =>
        problem["errors"] is JsonObject errors && errors.Count > 0
            ? " (" + string.Join("; ", errors.Select(e => $"{e.Key}: {(e.Value is JsonArray a ? string.Join(" ", a.Select(m => m?.ToString())) : e.Value?.ToString())}")) + ")"
            : "";
}
