using System.Globalization;
using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Diffusion.Imaging;
using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Pipeline;
using DiffusionFunctions.Worker.Processing;
using Microsoft.Extensions.Logging;
using GeneratedImage = DiffusionFunctions.Worker.Processing.GeneratedImage;

namespace DiffusionFunctions.Worker.Engine;

/// <summary>
/// The real <see cref="IImageGenerator"/>: maps a job's parameters onto <see cref="GenerationSettings"/> and runs the
/// <see cref="StableDiffusionPipeline"/> over the process's one model (<see cref="DiffusionModelHost"/>). Invalid settings
/// (the pipeline's <see cref="ArgumentException"/>: unknown scheduler, size out of range) and undecodable input images
/// become <see cref="NonRetryableGenerationException"/>; ONNX Runtime errors pass through for the queue to retry.
/// Also the model's warm-up: one step at the smallest size.
/// </summary>
public sealed class PipelineImageGenerator(DiffusionModelHost host, ILoggerFactory loggers) : IImageGenerator, IModelWarmUp
{
    private readonly Lazy<StableDiffusionPipeline> _pipeline = new(
        () => new StableDiffusionPipeline(host.Model, loggers.CreateLogger<StableDiffusionPipeline>()), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <inheritdoc />
    public async Task<GeneratedImages> GenerateAsync(ImageGenerationInput input, Action<int, int> onStep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(onStep);
        var settings = ToSettings(input);
        GenerationResult result;
        try
        {
            result = await _pipeline.Value.RunAsync(settings, new StepProgress(onStep), cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            throw new NonRetryableGenerationException(JobErrorCodes.InvalidRequest, JobErrorMessages.Validation(ex.Message), ex);
        }

        var truncated = Math.Max(0, result.PromptTokenCount - 75);
        return new GeneratedImages(
            [.. result.Images.Select(i => new GeneratedImage(i.Index, i.Png))],
            input.Parameters.Seed,
            result.WithheldCount,
            truncated,
            result.Warnings);
    }

    /// <inheritdoc />
    public GenerationParameters ResolveDefaults(GenerationParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var model = host.Model;
        return parameters with
        {
            Width = parameters.Width ?? model.DefaultWidth,
            Height = parameters.Height ?? model.DefaultHeight,
            Steps = parameters.Steps ?? model.DefaultSteps,
            GuidanceScale = parameters.GuidanceScale ?? model.DefaultGuidanceScale,
            Scheduler = parameters.Scheduler ?? model.DefaultSchedulerName,
        };
    }

    /// <inheritdoc />
    public EngineDescription Describe()
    {
        var model = host.Model;
        return new EngineDescription(
            model.ExecutionProvider == ExecutionProviderKind.Cuda ? string.Create(CultureInfo.InvariantCulture, $"cuda:{model.Options.DeviceId}") : "cpu",
            model.Name);
    }

    /// <inheritdoc />
    public async Task WarmUpAsync(StableDiffusionModel model, CancellationToken cancellationToken)
    {
        var settings = new GenerationSettings
        {
            Prompt = "warm-up",
            Steps = 1,
            Width = StableDiffusionPipeline.MinSide,
            Height = StableDiffusionPipeline.MinSide,
            Seed = 0,
        };
        await _pipeline.Value.RunAsync(settings, progress: null, cancellationToken).ConfigureAwait(false);
    }

    private GenerationSettings ToSettings(ImageGenerationInput input)
    {
        var p = input.Parameters;
        return new GenerationSettings
        {
            Prompt = p.Prompt,
            NegativePrompt = p.NegativePrompt ?? "",
            Steps = p.Steps ?? host.Model.DefaultSteps,
            GuidanceScale = p.GuidanceScale,
            Scheduler = p.Scheduler,
            Seed = p.Seed,
            Count = p.Count,
            Width = p.Width,
            Height = p.Height,
            InitImage = Decode(input.InitImage, "initImage"),
            Mask = Decode(input.Mask, "mask"),
            Strength = p.Strength ?? 0.75,
        };
    }

    private static RgbImage? Decode(ReadOnlyMemory<byte>? bytes, string what)
    {
        if (bytes is not { } data)
        {
            return null;
        }

        try
        {
            return UserImageDecoder.Decode(data.Span, what);
        }
        catch (InvalidImageException ex)
        {
            throw new NonRetryableGenerationException(JobErrorCodes.InvalidRequest, JobErrorMessages.Validation($"The {what} cannot be decoded: {ex.Message}"), ex);
        }
    }

    /// <summary>Forwards denoising steps synchronously on the pipeline's thread (<see cref="Progress{T}"/> would post them elsewhere).</summary>
    private sealed class StepProgress(Action<int, int> onStep) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value)
        {
            if (value.Stage == GenerationStage.Denoising)
            {
                onStep(value.Step, value.TotalSteps);
            }
        }
    }
}
