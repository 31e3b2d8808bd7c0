using Microsoft.Extensions.Logging;

namespace DiffusionFunctions.Cli.Commands;

/// <summary>Writes warnings and errors (the engine's CUDA fallback notice) as "dfx: warning: ..." lines.</summary>
internal sealed class ErrorWriterLogger(TextWriter error) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            error.WriteLine($"dfx: {(logLevel == LogLevel.Warning ? "warning" : "error")}: {formatter(state, exception)}");
        }
    }
}
