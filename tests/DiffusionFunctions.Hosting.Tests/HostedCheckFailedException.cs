namespace DiffusionFunctions.Hosting.Tests;

/// <summary>A hosted check failed: the failure, followed by the tail of each host's log, so CI output shows what the hosts saw.</summary>
public sealed class HostedCheckFailedException : Exception
{
    public HostedCheckFailedException()
    {
    }

    public HostedCheckFailedException(string message)
        : base(message)
    {
    }

    public HostedCheckFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Wraps <paramref name="failure"/> with the named log tails.</summary>
    public static HostedCheckFailedException With(Exception failure, IEnumerable<(string Name, string Tail)> logTails)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var tails = string.Concat(logTails.Select(t => $"\n\n----- {t.Name}: log tail -----\n{t.Tail}"));
        return new HostedCheckFailedException($"{failure.GetType().Name}: {failure.Message}{tails}", failure);
    }
}
