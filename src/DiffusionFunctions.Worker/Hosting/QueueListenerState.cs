namespace DiffusionFunctions.Worker.Hosting;

/// <summary>Where an <see cref="InProcessQueueListener"/> stands, for health reports.</summary>
public enum QueueListenerState
{
    /// <summary>Created; <see cref="InProcessQueueListener.RunAsync"/> has not polled yet.</summary>
    NotStarted,

    /// <summary>Polling; the last poll reached the queues.</summary>
    Listening,

    /// <summary>Still polling, but the last polls failed (storage unreachable, for example); see the last error.</summary>
    Failing,

    /// <summary><see cref="InProcessQueueListener.RunAsync"/> returned (shutdown): no message is taken any more.</summary>
    Stopped,
}

/// <summary>A snapshot of a listener's health.</summary>
/// <param name="State">The state.</param>
/// <param name="ConsecutiveFailures">Polls that failed in a row (0 while listening).</param>
/// <param name="LastError">The last poll failure's exception type and message, for operators; null when none.</param>
/// <param name="LastPollAt">When the last poll finished, successfully or not.</param>
public sealed record QueueListenerHealth(QueueListenerState State, int ConsecutiveFailures, string? LastError, DateTimeOffset? LastPollAt)
{
    /// <summary>True while the listener takes messages.</summary>
    public bool IsHealthy => State == QueueListenerState.Listening;
}
