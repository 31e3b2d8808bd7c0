namespace DiffusionFunctions.Worker.Hosting;

/// <summary>How <see cref="InProcessQueueListener"/> leases and retries messages; the defaults mirror the Functions host with this repo's <c>host.json</c>.</summary>
public sealed class InProcessQueueListenerOptions
{
    /// <summary>How long a received message stays invisible while it is processed (the host's lease is 10 minutes, renewed).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a failed message stays invisible before its next delivery (<c>host.json</c> <c>visibilityTimeout</c>).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between polls of an empty queue (<c>host.json</c> <c>maxPollingInterval</c>).</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(2);
}
