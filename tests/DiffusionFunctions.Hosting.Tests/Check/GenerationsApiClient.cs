using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace DiffusionFunctions.Hosting.Tests.Check;

/// <summary>
/// The API as a client calls it: <c>/api/generations</c> and <c>/api/health</c> over HTTP, with the function key in the
/// <c>x-functions-key</c> header when there is one.
/// </summary>
public sealed class GenerationsApiClient(HttpClient http, Uri baseAddress, string? functionKey)
{
    /// <summary>How often a job is polled while the check waits for it.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>An answer: status, content type (null without a body), <c>Location</c>, body as JSON (null unless JSON) and as text.</summary>
    public sealed record Answer(HttpStatusCode Status, string? ContentType, Uri? Location, JsonNode? Body, string Text);

    /// <summary>How a request carries the key.</summary>
    public enum KeyUse
    {
        /// <summary>The function key (none when the host does not check keys).</summary>
        FunctionKey,

        /// <summary>No key at all.</summary>
        None,

        /// <summary>A well-formed key the host never issued.</summary>
        Wrong,
    }

    /// <summary><c>GET /api/health</c>, anonymous.</summary>
    public Task<Answer> HealthAsync(CancellationToken cancellationToken)
        => SendAsync(HttpMethod.Get, "api/health", null, KeyUse.None, cancellationToken);

    /// <summary><c>POST /api/generations</c> with a JSON body.</summary>
    public Task<Answer> SubmitAsync(object request, CancellationToken cancellationToken, KeyUse key = KeyUse.FunctionKey)
        => SendAsync(HttpMethod.Post, "api/generations", JsonContent.Create(request), key, cancellationToken);

    /// <summary><c>GET /api/generations/{id}</c>.</summary>
    public Task<Answer> GetAsync(string jobId, CancellationToken cancellationToken, KeyUse key = KeyUse.FunctionKey)
        => SendAsync(HttpMethod.Get, "api/generations/" + jobId, null, key, cancellationToken);

    /// <summary><c>DELETE /api/generations/{id}</c>.</summary>
    public Task<Answer> CancelAsync(string jobId, CancellationToken cancellationToken, KeyUse key = KeyUse.FunctionKey)
        => SendAsync(HttpMethod.Delete, "api/generations/" + jobId, null, key, cancellationToken);

    /// <summary><c>POST /api/batches</c> with a JSON body.</summary>
    public Task<Answer> SubmitBatchAsync(object request, CancellationToken cancellationToken)
        => SendAsync(HttpMethod.Post, "api/batches", JsonContent.Create(request), KeyUse.FunctionKey, cancellationToken);

    /// <summary>Polls <c>GET /api/batches/{id}</c> until the batch is no longer running, or fails at the deadline.</summary>
    public async Task<JsonNode> WaitForBatchAsync(string batchId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var answer = await SendAsync(HttpMethod.Get, "api/batches/" + batchId, null, KeyUse.FunctionKey, cancellationToken);
            Assert.True(answer.Status == HttpStatusCode.OK, $"GET batch {batchId}: {(int)answer.Status} {answer.Text}");
            if ((string?)answer.Body!["status"] != "running")
            {
                return answer.Body!;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"Batch {batchId} was still running after {timeout.TotalSeconds:0} s: {answer.Text}");
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>
    /// Polls the job until its status is <paramref name="expected"/> (the job is returned); another final status, or no
    /// change by <paramref name="timeout"/>, is an assertion failure naming the job's last state.
    /// </summary>
    public async Task<JsonNode> WaitForStatusAsync(string jobId, string expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string[] finals = ["succeeded", "failed", "cancelled"];
        var deadline = DateTimeOffset.UtcNow + timeout;
        string? last = null;
        while (true)
        {
            var answer = await GetAsync(jobId, cancellationToken);
            Assert.True(answer.Status == HttpStatusCode.OK, $"GET job {jobId}: {(int)answer.Status} {answer.Text}");
            var status = (string?)answer.Body!["status"];
            if (status == expected)
            {
                return answer.Body!;
            }

            Assert.False(finals.Contains(status), $"Job {jobId} ended '{status}', expected '{expected}': {answer.Text}");
            last = answer.Text;
            Assert.True(DateTimeOffset.UtcNow < deadline, $"Job {jobId} was not '{expected}' within {timeout.TotalSeconds:0} s; last: {last}");
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private async Task<Answer> SendAsync(HttpMethod method, string path, HttpContent? content, KeyUse key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseAddress, path)) { Content = content };
        var headerValue = key switch
        {
            KeyUse.FunctionKey => functionKey,
            KeyUse.Wrong => "not-a-key-this-host-issued-" + Guid.NewGuid().ToString("N"),
            _ => null,
        };
        if (headerValue is not null)
        {
            request.Headers.Add("x-functions-key", headerValue);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var contentType = response.Content.Headers.ContentType?.MediaType;
        JsonNode? body = null;
        if (text.Length > 0 && contentType is not null && contentType.EndsWith("json", StringComparison.Ordinal))
        {
            body = JsonNode.Parse(text);
        }

        return new Answer(response.StatusCode, contentType, response.Headers.Location, body, text);
    }
}
