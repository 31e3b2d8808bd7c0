using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>
/// Builds the <see cref="SessionOptions"/> of every session of one model set and decides the execution provider once:
/// CUDA when requested and loadable, otherwise CPU after exactly one warning.
/// </summary>
internal sealed partial class SessionOptionsFactory
{
    private readonly DiffusionEngineOptions _options;
    private readonly ILogger _logger;
    private readonly int _processorCount;

    private SessionOptionsFactory(DiffusionEngineOptions options, ILogger logger, ExecutionProviderKind active, int processorCount)
    {
        _options = options;
        _logger = logger;
        ActiveProvider = active;
        _processorCount = processorCount;
    }

    /// <summary>The provider sessions are created for: <see cref="ExecutionProviderKind.Cuda"/> or <see cref="ExecutionProviderKind.Cpu"/>.</summary>
    public ExecutionProviderKind ActiveProvider { get; private set; }

    /// <summary>Resolves the provider: probes CUDA when asked for (or Auto), falls back to CPU with one warning.</summary>
    public static SessionOptionsFactory Create(DiffusionEngineOptions options, ILogger logger) =>
        Create(options, logger, Environment.ProcessorCount);

    /// <summary>As <see cref="Create(DiffusionEngineOptions, ILogger)"/>, with the processor count the process may use given.</summary>
    internal static SessionOptionsFactory Create(DiffusionEngineOptions options, ILogger logger, int processorCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(processorCount, 1);
        if (options.Provider == ExecutionProviderKind.Cpu)
        {
            return new SessionOptionsFactory(options, logger, ExecutionProviderKind.Cpu, processorCount);
        }

        var factory = new SessionOptionsFactory(options, logger, ExecutionProviderKind.Cuda, processorCount);
        try
        {
            using var mute = OrtNativeLogMute.Begin();
            using var probe = new SessionOptions();
            probe.AppendExecutionProvider_CUDA(options.DeviceId);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            factory.FallBackToCpu(ex);
        }

        return factory;
    }

    /// <summary>Switches to CPU after CUDA failed (at probing or at the first session), logging the one warning.</summary>
    public void FallBackToCpu(Exception reason)
    {
        if (ActiveProvider == ExecutionProviderKind.Cpu)
        {
            return;
        }

        var cause = CudaProviderProbe.Explain(reason);
        if (_options.RequireGpu)
        {
            throw new GpuUnavailableException(
                $"DiffusionFunctions:Engine:RequireGpu is on, but the CUDA execution provider (device {_options.DeviceId}) could not be loaded: {cause}.",
                reason);
        }

        ActiveProvider = ExecutionProviderKind.Cpu;
        LogCudaFallback(_logger, _options.DeviceId, cause);
    }

    /// <summary>
    /// Model parts whose weights are smaller than this run on one intra-op thread on CPU when threads are automatic: their
    /// operators are too small to split. Measured with the shipped tiny-shapes model (24 MB UNet, 8x8 latents) on 2 cores:
    /// 207-243 ms per image on one thread, 208-308 ms on two (the second thread's hand-offs stall whenever the host
    /// deschedules it). Larger parts (SD 1.5's are hundreds of MB) get one thread per processor the process may use.
    /// </summary>
    public const long SmallModelBytes = 64L * 1024 * 1024;

    /// <summary>
    /// The intra-op thread count for a model part of <paramref name="weightBytes"/> bytes: the configured count when set,
    /// otherwise 1 for a small part on CPU and <see cref="Environment.ProcessorCount"/> for the rest. The processor count
    /// respects container CPU limits and affinity; ONNX Runtime's own default (one thread per physical core) gave a
    /// 2-vCPU VM one thread, and SD 1.5 at 256x256 ran 8.5 s instead of 4.7 s with two.
    /// </summary>
    public int IntraOpThreadsFor(long weightBytes) =>
        _options.IntraOpThreads > 0 ? _options.IntraOpThreads
        : ActiveProvider == ExecutionProviderKind.Cpu && weightBytes < SmallModelBytes ? 1
        : _options.OnnxRuntimeDefaultThreadsForLargeParts ? 0
        : _processorCount;

    /// <summary>
    /// Creates session options for the active provider and a model part of <paramref name="weightBytes"/> bytes (graph and
    /// external weights); the caller disposes them.
    /// </summary>
    public SessionOptions CreateSessionOptions(long weightBytes)
    {
        var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = _options.GraphOptimizationLevel,
            EnableCpuMemArena = _options.EnableMemoryArena,
            EnableMemoryPattern = _options.EnableMemoryPattern,
            IntraOpNumThreads = IntraOpThreadsFor(weightBytes),
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        try
        {
            if (ActiveProvider == ExecutionProviderKind.Cuda)
            {
                sessionOptions.AppendExecutionProvider_CUDA(_options.DeviceId);
            }
        }
        catch
        {
            sessionOptions.Dispose();
            throw;
        }

        return sessionOptions;
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning,
        Message = "CUDA execution provider (device {DeviceId}) could not be loaded; running on CPU. ONNX Runtime GPU 1.31 needs CUDA 13 and cuDNN 9 on the library path. Cause: {Cause}")]
    private static partial void LogCudaFallback(ILogger logger, int deviceId, string cause);
}
