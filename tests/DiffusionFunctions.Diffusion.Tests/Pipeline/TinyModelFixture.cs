using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Pipeline;
using DiffusionFunctions.Diffusion.Tests.Onnx;

namespace DiffusionFunctions.Diffusion.Tests.Pipeline;

/// <summary>The default tiny generated model, loaded once on CPU for a test class.</summary>
public sealed class TinyModelFixture : IAsyncLifetime
{
    public static readonly DiffusionEngineOptions CpuOptions = new() { Provider = ExecutionProviderKind.Cpu, IntraOpThreads = 1 };

    public StableDiffusionModel Model { get; private set; } = null!;

    public StableDiffusionPipeline Pipeline { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Model = StableDiffusionModel.Load(await ModelFolders.TinyAsync(), CpuOptions);
        Pipeline = new StableDiffusionPipeline(Model);
    }

    public Task DisposeAsync()
    {
        Model.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>Collects progress reports synchronously (unlike <see cref="Progress{T}"/>, which posts them).</summary>
internal sealed class RecordingProgress(Action<GenerationProgress>? onReport = null) : IProgress<GenerationProgress>
{
    public List<GenerationProgress> Reports { get; } = [];

    public void Report(GenerationProgress value)
    {
        Reports.Add(value);
        onReport?.Invoke(value);
    }
}
