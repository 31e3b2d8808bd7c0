using System.Diagnostics;
using DiffusionFunctions.Diffusion.Onnx;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Engine;

/// <summary>
/// Owns the process's one <see cref="StableDiffusionModel"/>: loaded once (by <see cref="EngineStartup"/> when the host
/// starts, never per message), shared by every job, disposed with the host. A model folder that does not load stops the
/// host with the loader's message, which names the file and tensor.
/// </summary>
public sealed class DiffusionModelHost(
    IOptions<WorkerOptions> options,
    IOptions<DiffusionEngineOptions> engineOptions,
    ILogger<DiffusionModelHost> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private StableDiffusionModel? _model;
    private int _loadCount;
    private bool _disposed;

    /// <summary>How many times this host loaded a model (1 after start-up; never more).</summary>
    public int LoadCount => Volatile.Read(ref _loadCount);

    /// <summary>The loaded model; loads it on first use.</summary>
    public StableDiffusionModel Model
    {
        get
        {
            if (Volatile.Read(ref _model) is { } model)
            {
                return model;
            }

            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_model is null)
                {
                    Volatile.Write(ref _model, Load());
                }

                return _model!;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _model?.Dispose();
            _model = null;
        }
    }

    private StableDiffusionModel Load()
    {
        var path = ShippedModel.ResolveConfiguredPath(options.Value.ModelPath!);
        var watch = Stopwatch.StartNew();
        var model = StableDiffusionModel.Load(path, engineOptions.Value, logger);
        Interlocked.Increment(ref _loadCount);
        logger.LogInformation("Loaded model {Model} from {Path} on {Provider} in {Milliseconds} ms",
            model.Name, path, model.ExecutionProvider, watch.ElapsedMilliseconds);
        return model;
    }
}

/// <summary>
/// Loads the model when the host starts and runs the warm-ups (a one-step generation) unless
/// <see cref="WorkerOptions.WarmUp"/> is off, so the first job pays neither for loading nor for lazy initialisation;
/// reports each stage to <see cref="EngineReadiness"/>, which holds messages back until it is done.
/// </summary>
public sealed class EngineStartup(
    DiffusionModelHost host,
    IEnumerable<IModelWarmUp> warmUps,
    EngineReadiness readiness,
    IOptions<WorkerOptions> options,
    ILogger<EngineStartup> logger) : IHostedService
{
    /// <summary>Loads and warms up.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var load = Stopwatch.StartNew();
            var model = host.Model;
            readiness.Loaded(
                model.ExecutionProvider == ExecutionProviderKind.Cuda ? "cuda:" + model.Options.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture) : "cpu",
                model.Name,
                load.ElapsedMilliseconds);
            if (!options.Value.WarmUp)
            {
                readiness.MarkReady(warmUpMilliseconds: null);
                return;
            }

            var watch = Stopwatch.StartNew();
            foreach (var warmUp in warmUps)
            {
                await warmUp.WarmUpAsync(model, cancellationToken).ConfigureAwait(false);
            }

            logger.LogInformation("Model warm-up finished in {Milliseconds} ms", watch.ElapsedMilliseconds);
            readiness.MarkReady(watch.ElapsedMilliseconds);
        }
        catch (Exception ex)
        {
            readiness.MarkFailed(ex);
            throw;
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>A warm-up run over a freshly loaded model (the pipeline adapter provides one).</summary>
public interface IModelWarmUp
{
    /// <summary>Runs a small generation to initialise the sessions.</summary>
    Task WarmUpAsync(StableDiffusionModel model, CancellationToken cancellationToken);
}
