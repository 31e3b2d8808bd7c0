using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Azure.Messaging;
using DiffusionFunctions.Core.Notifications;
using DiffusionFunctions.Worker.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Webhooks;

/// <summary>The outcome of one webhook delivery.</summary>
public enum WebhookDeliveryResult
{
    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary>Every attempt failed (network errors, 408, 429 or 5xx), or the receiver refused it with another 4xx.</summary>
    Failed,

    /// <summary>The callback address was refused by <see cref="CallbackAddressPolicy"/>; not retried.</summary>
    Refused,

    /// <summary>No webhook secret is configured, so nothing was sent.</summary>
    NotConfigured,
}

/// <summary>
/// POSTs a job's CloudEvent (structured JSON, <c>application/cloudevents+json</c>) to its <c>callbackUrl</c>, signed the
/// Standard Webhooks way (<see cref="WebhookSignature"/>). Retries network errors, 408, 429 and 5xx with exponential backoff
/// and jitter (each attempt is signed afresh with its own timestamp; the <c>webhook-id</c> stays the CloudEvent id). The
/// connection goes through <see cref="GuardedConnectCallback"/>, so loopback, link-local and private addresses are refused
/// unless <see cref="GenerationEventOptions.AllowPrivateCallbackAddresses"/> is on.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    /// <summary>The named <see cref="HttpClient"/> configuration of the sender.</summary>
    public const string HttpClientName = "DiffusionFunctions.Webhooks";

    private readonly HttpClient _http;
    private readonly GenerationEventOptions _options;
    private readonly WebhookSecret? _secret;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookSender> _logger;

    /// <summary>Creates the sender with its own guarded handler.</summary>
    public WebhookSender(IOptions<GenerationEventOptions> options, TimeProvider time, ILogger<WebhookSender> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _secret = string.IsNullOrEmpty(_options.WebhookSecret) ? null : WebhookSecret.Parse(_options.WebhookSecret);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _http = new HttpClient(GuardedConnectCallback.CreateHandler(_options.AllowPrivateCallbackAddresses))
        {
            Timeout = _options.WebhookTimeout,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("DiffusionFunctions-Webhooks", "1.0"));
    }

    /// <summary>Delivers <paramref name="cloudEvent"/> to <paramref name="callbackUrl"/>.</summary>
    public async Task<WebhookDeliveryResult> SendAsync(Uri callbackUrl, CloudEvent cloudEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callbackUrl);
        ArgumentNullException.ThrowIfNull(cloudEvent);
        if (_secret is null)
        {
            _logger.LogWarning(
                "Job event {EventId} has a callback URL but {Setting} is not set; the webhook was not sent",
                cloudEvent.Id, GenerationEventOptions.SectionName + ":" + nameof(GenerationEventOptions.WebhookSecret));
            return WebhookDeliveryResult.NotConfigured;
        }

        if (callbackUrl.Scheme != Uri.UriSchemeHttps && callbackUrl.Scheme != Uri.UriSchemeHttp)
        {
            _logger.LogWarning("Callback URL scheme {Scheme} of event {EventId} is not http(s); not sent", callbackUrl.Scheme, cloudEvent.Id);
            return WebhookDeliveryResult.Refused;
        }

        var body = GenerationCloudEvents.ToJsonBytes(cloudEvent);
        var backoff = _options.WebhookInitialBackoff;
        for (var attempt = 1; ; attempt++)
        {
            var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, callbackUrl) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json") { CharSet = "utf-8" };
            request.Headers.Add(WebhookSignature.IdHeader, cloudEvent.Id);
            request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(_secret, cloudEvent.Id, timestamp, body));

            bool retryable;
            try
            {
                using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    _logger.LogInformation("Webhook {EventId} delivered to {Host} (attempt {Attempt}, {Status})",
                        cloudEvent.Id, callbackUrl.Host, attempt, (int)response.StatusCode);
                    return WebhookDeliveryResult.Delivered;
                }

                retryable = response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;
                _logger.LogWarning("Webhook {EventId} to {Host} answered {Status} (attempt {Attempt})",
                    cloudEvent.Id, callbackUrl.Host, (int)response.StatusCode, attempt);
            }
            catch (HttpRequestException ex) when (FindRefusal(ex) is { } refusal)
            {
                _logger.LogWarning("Webhook {EventId} refused: {Reason}", cloudEvent.Id, refusal.Message);
                return WebhookDeliveryResult.Refused;
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                retryable = true;
                _logger.LogWarning("Webhook {EventId} to {Host} failed (attempt {Attempt}): {Error}", cloudEvent.Id, callbackUrl.Host, attempt, ex.Message);
            }

            if (!retryable || attempt >= _options.WebhookMaxAttempts)
            {
                _logger.LogError("Webhook {EventId} to {Host} given up after {Attempts} attempt(s)", cloudEvent.Id, callbackUrl.Host, attempt);
                return WebhookDeliveryResult.Failed;
            }

            var jitter = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * backoff.TotalMilliseconds * 0.2);
            await Task.Delay(backoff + jitter, _time, cancellationToken).ConfigureAwait(false);
            backoff *= 2;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static CallbackAddressRefusedException? FindRefusal(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is CallbackAddressRefusedException refusal)
            {
                return refusal;
            }
        }

        return null;
    }
}
