using System.Diagnostics;
using DiffusionFunctions.Diffusion.Onnx;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Engine;

/// <summary>
/// Owns the process's one <see cref="StableDiffusionModel"/>: loaded when the host starts (not per message), warmed up with
/// a one-step generation so the first job does not pay for ONNX Runtime's lazy initialisation, and disposed with the host.
/// A model folder that does not load stops the host with the loader's message.
/// </summary>
public sealed class DiffusionModelHost(
    IOptions<WorkerOptions> options,
    IOptions<DiffusionEngineOptions> engineOptions,
    IEnumerable<IModelWarmUp> warmUps,
    ILogger<DiffusionModelHost> logger) : IHostedService, IDisposable
{
    private readonly Lock _gate = new();
    private StableDiffusionModel? _model;

    /// <summary>How many times a model was loaded by this host (1 after start; never more).</summary>
    public int LoadCount { get; private set; }

    /// <summary>The loaded model; loads it on first use when the host was not started (tests that skip hosted services).</summary>
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
                return _model ??= Load();
            }
        }
    }

    /// <summary>Loads the model and runs the warm-ups.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var model = Model;
        foreach (var warmUp in warmUps)
        {
            if (!options.Value.WarmUp)
            {
                break;
            }

            var watch = Stopwatch.StartNew();
            await warmUp.WarmUpAsync(model, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Model warm-up finished in {Milliseconds} ms", watch.ElapsedMilliseconds);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _model?.Dispose();
            _model = null;
        }
    }

    private StableDiffusionModel Load()
    {
        var path = options.Value.ModelPath!;
        var watch = Stopwatch.StartNew();
        var model = StableDiffusionModel.Load(path, engineOptions.Value, logger);
        LoadCount++;
        logger.LogInformation("Loaded model {Model} from {Path} on {Provider} in {Milliseconds} ms",
            model.Name, path, model.ExecutionProvider, watch.ElapsedMilliseconds);
        return model;
    }
}

/// <summary>A warm-up run over a freshly loaded model (the pipeline adapter provides one).</summary>
public interface IModelWarmUp
{
    /// <summary>Runs a small generation to initialise the sessions.</summary>
    Task WarmUpAsync(StableDiffusionModel model, CancellationToken cancellationToken);
}
