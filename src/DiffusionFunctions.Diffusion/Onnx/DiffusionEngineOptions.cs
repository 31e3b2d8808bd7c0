using Microsoft.ML.OnnxRuntime;

namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>
/// How the engine creates its ONNX Runtime sessions: execution provider, threads, graph optimisation, memory arena and pattern,
/// and whether the UNet loop uses IOBinding. Validated by <see cref="Validate"/> when a model is loaded.
/// </summary>
public sealed class DiffusionEngineOptions
{
    /// <summary>The requested execution provider (default <see cref="ExecutionProviderKind.Auto"/>).</summary>
    public ExecutionProviderKind Provider { get; set; } = ExecutionProviderKind.Auto;

    /// <summary>
    /// Refuse to run without the GPU (default off): when the CUDA provider cannot be loaded, loading a model throws
    /// <see cref="GpuUnavailableException"/> naming the missing library instead of falling back to CPU. On for GPU-priced
    /// deployments (the worker's cloud template sets it), so such a replica fails to start rather than run on the CPU.
    /// </summary>
    public bool RequireGpu { get; set; }

    /// <summary>CUDA device id (default 0).</summary>
    public int DeviceId { get; set; }

    /// <summary>
    /// Intra-op threads per session; 0 (automatic) gives one thread to a model part under 64 MB on CPU (its operators are
    /// too small to split) and lets ONNX Runtime choose (one per physical core) for the rest.
    /// </summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Graph optimisation level (default all optimisations).</summary>
    public GraphOptimizationLevel GraphOptimizationLevel { get; set; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>CPU memory arena: faster repeated runs at the price of memory held between runs (default on).</summary>
    public bool EnableMemoryArena { get; set; } = true;

    /// <summary>Memory pattern planning for fixed shapes (default on).</summary>
    public bool EnableMemoryPattern { get; set; } = true;

    /// <summary>
    /// Run the UNet through IOBinding: the text states are bound once per generation (copied to the device once on CUDA) and
    /// the noise prediction lands in a pre-allocated buffer. <see langword="null"/> (default) means on for CUDA, off for CPU.
    /// </summary>
    public bool? UseIoBinding { get; set; }

    /// <summary>
    /// The web UI's "comma padding backtrack": when a 75-token prompt chunk is full and the last comma lies at most this many
    /// tokens back, the words after it move to the next chunk (default 20, as the web UI; 0 cuts at exactly 75 tokens; 0-74).
    /// </summary>
    public int PromptCommaBacktrack { get; set; } = Prompting.PromptTokenizer.DefaultCommaBacktrack;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Provider))
        {
            throw new ArgumentException($"DiffusionEngineOptions.Provider has the undefined value {(int)Provider}.");
        }

        if (RequireGpu && Provider == ExecutionProviderKind.Cpu)
        {
            throw new ArgumentException("DiffusionEngineOptions.RequireGpu needs Provider Auto or Cuda, not Cpu.");
        }

        if (DeviceId < 0)
        {
            throw new ArgumentException($"DiffusionEngineOptions.DeviceId must be 0 or more, not {DeviceId}.");
        }

        if (IntraOpThreads < 0)
        {
            throw new ArgumentException($"DiffusionEngineOptions.IntraOpThreads must be 0 (automatic) or more, not {IntraOpThreads}.");
        }

        if (PromptCommaBacktrack is < 0 or > 74)
        {
            throw new ArgumentException($"DiffusionEngineOptions.PromptCommaBacktrack must be 0 (off) to 74 tokens, not {PromptCommaBacktrack}.");
        }

        if (!Enum.IsDefined(GraphOptimizationLevel))
        {
            throw new ArgumentException($"DiffusionEngineOptions.GraphOptimizationLevel has the undefined value {(int)GraphOptimizationLevel}.");
        }
    }
}
