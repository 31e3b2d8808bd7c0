using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Worker.Processing;

namespace DiffusionFunctions.Worker.Engine;

/// <summary>The real <see cref="IImageGenerator"/> over the diffusion pipeline (pending the pipeline's public API).</summary>
public sealed class PipelineImageGenerator(DiffusionModelHost host) : IImageGenerator, IModelWarmUp
{
    /// <inheritdoc />
    public Task<GeneratedImages> GenerateAsync(ImageGenerationInput input, Action<int, int> onStep, CancellationToken cancellationToken)
    {
        _ = host.Model;
        throw new NotSupportedException("The pipeline is not available yet.");
    }

    /// <inheritdoc />
    public Task WarmUpAsync(StableDiffusionModel model, CancellationToken cancellationToken) => Task.CompletedTask;
}
