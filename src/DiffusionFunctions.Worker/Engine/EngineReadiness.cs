namespace DiffusionFunctions.Worker.Engine;

/// <summary>Where the worker's engine stands at start-up.</summary>
public enum EngineReadinessState
{
    /// <summary>Loading the model.</summary>
    Loading,

    /// <summary>Loaded; running the warm-up generation.</summary>
    WarmingUp,

    /// <summary>Loaded and warmed up: messages are processed.</summary>
    Ready,

    /// <summary>Start-up failed (a model that does not load, <c>RequireGpu</c> without CUDA): no message is processed.</summary>
    Failed,
}

/// <summary>A snapshot of the engine's readiness, as the worker's health function reports it.</summary>
/// <param name="State">The state.</param>
/// <param name="Device">The provider in use once loaded (<c>cuda:0</c>, <c>cpu</c>).</param>
/// <param name="Model">The model's name once loaded.</param>
/// <param name="LoadMilliseconds">How long loading took.</param>
/// <param name="WarmUpMilliseconds">How long the warm-up took (null when skipped or not done).</param>
/// <param name="Error">Why start-up failed.</param>
public sealed record EngineReadinessReport(
    EngineReadinessState State, string? Device, string? Model, long? LoadMilliseconds, long? WarmUpMilliseconds, string? Error);

/// <summary>
/// The worker's readiness: set by <see cref="EngineStartup"/> as it loads and warms up the model, awaited by the job
/// processor before it handles a message (so no message runs on a cold or half-loaded engine, whatever order the host
/// starts its services in), and reported by the worker's health function.
/// </summary>
public sealed class EngineReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private EngineReadinessReport _report = new(EngineReadinessState.Loading, null, null, null, null, null);

    /// <summary>The current report.</summary>
    public EngineReadinessReport Report
    {
        get
        {
            lock (_gate)
            {
                return _report;
            }
        }
    }

    /// <summary>Completes when the engine is ready; faults when start-up failed.</summary>
    public Task WhenReady => _ready.Task;

    internal void Loaded(string device, string model, long loadMilliseconds) =>
        Set(new EngineReadinessReport(EngineReadinessState.WarmingUp, device, model, loadMilliseconds, null, null));

    internal void MarkReady(long? warmUpMilliseconds)
    {
        Set(Report with { State = EngineReadinessState.Ready, WarmUpMilliseconds = warmUpMilliseconds });
        _ready.TrySetResult();
    }

    internal void MarkFailed(Exception error)
    {
        Set(Report with { State = EngineReadinessState.Failed, Error = error.Message });
        _ready.TrySetException(new InvalidOperationException("The worker's engine failed to start: " + error.Message, error));
    }

    private void Set(EngineReadinessReport report)
    {
        lock (_gate)
        {
            _report = report;
        }
    }
}
