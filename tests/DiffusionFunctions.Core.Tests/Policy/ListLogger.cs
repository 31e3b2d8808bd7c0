using Microsoft.Extensions.Logging;

namespace DiffusionFunctions.Core.Tests.Policy;

/// <summary>An <see cref="ILogger{T}"/> that keeps every entry (level, event id, message, structured values) for assertions.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly List<LogEntry> entries = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (entries)
            {
                return [.. entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        lock (entries)
        {
            entries.Add(new LogEntry(logLevel, eventId.Id, formatter(state, exception), values.ToDictionary(p => p.Key, p => p.Value), exception));
        }
    }
}

/// <summary>One captured log entry.</summary>
internal sealed record LogEntry(LogLevel Level, int EventId, string Message, IReadOnlyDictionary<string, object?> Values, Exception? Exception);
