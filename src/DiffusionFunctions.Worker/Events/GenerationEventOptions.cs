namespace DiffusionFunctions.Worker.Events;

/// <summary>
/// Where finished-job events go, bound from <c>DiffusionFunctions:Events</c> and validated at start-up
/// (<see cref="GenerationEventOptionsValidator"/>).
/// </summary>
/// <remarks>
/// With <see cref="TopicEndpoint"/> set, events are CloudEvents published to that Event Grid custom topic, with
/// <see cref="TopicKey"/> when given (local use) and otherwise with the app's managed identity (needs the
/// <c>EventGrid Data Sender</c> role). Without a topic they go to the storage queue
/// <c>DiffusionFunctions:Storage:EventsQueue</c>. A job's <c>callbackUrl</c> additionally receives the same CloudEvent as a
/// signed webhook.
/// </remarks>
public sealed class GenerationEventOptions
{
    /// <summary>The configuration section, relative to the root.</summary>
    public const string SectionName = "DiffusionFunctions:Events";

    /// <summary>The Event Grid custom topic endpoint (for example <c>https://mytopic.westeurope-1.eventgrid.azure.net/api/events</c>).</summary>
    public Uri? TopicEndpoint { get; set; }

    /// <summary>The topic's access key, for local use only; in the cloud leave it empty and grant the app's identity the sender role.</summary>
    public string? TopicKey { get; set; }

    /// <summary>Client id of a user-assigned managed identity for the topic (optional).</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>
    /// The per-deployment webhook signing secret in the Standard Webhooks form <c>whsec_&lt;base64&gt;</c> (24 to 64 random
    /// bytes). Without it, callbacks are not sent (and a warning is logged per job that asked for one).
    /// </summary>
    public string? WebhookSecret { get; set; }

    /// <summary>
    /// Allow callbacks to loopback, link-local and private addresses (local development only; default off). Off, such
    /// addresses are refused at the moment of connecting, whatever the URL's host name resolves to.
    /// </summary>
    public bool AllowPrivateCallbackAddresses { get; set; }

    /// <summary>Delivery attempts per webhook (default 5).</summary>
    public int WebhookMaxAttempts { get; set; } = 5;

    /// <summary>The wait before the second attempt; it doubles for each further attempt, with jitter (default 1 s).</summary>
    public TimeSpan WebhookInitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Timeout of one webhook request (default 10 s).</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
