using DiffusionFunctions.Core.Generation;

namespace DiffusionFunctions.Worker.Processing;

/// <summary>What the worker asks the engine for: a job's parameters and its input images (read from the inputs container).</summary>
/// <param name="Parameters">The job's parameters (seed included).</param>
/// <param name="InitImage">The init image bytes (img2img, inpaint).</param>
/// <param name="Mask">The mask bytes (inpaint).</param>
public sealed record ImageGenerationInput(GenerationParameters Parameters, ReadOnlyMemory<byte>? InitImage, ReadOnlyMemory<byte>? Mask);

/// <summary>One generated image.</summary>
/// <param name="Index">Its index in the request (0 to count - 1; withheld images leave gaps).</param>
/// <param name="Png">The PNG file bytes, with the <c>parameters</c> text chunk.</param>
public sealed record GeneratedImage(int Index, ReadOnlyMemory<byte> Png);

/// <summary>The engine's answer.</summary>
/// <param name="Images">The images that passed the safety checker.</param>
/// <param name="Seed">The seed used.</param>
/// <param name="WithheldCount">Images the safety checker withheld.</param>
/// <param name="TokensTruncated">Prompt tokens dropped past the text encoder's limit, if known.</param>
/// <param name="Warnings">What the engine could not honour (unsupported prompt syntax), for the job record.</param>
public sealed record GeneratedImages(IReadOnlyList<GeneratedImage> Images, long Seed, int WithheldCount, int? TokensTruncated, IReadOnlyList<string>? Warnings = null);

/// <summary>
/// The worker's narrow view of the diffusion engine. Implementations call the step callback after each denoising
/// step (step, total steps), honour the cancellation token between steps, throw <see cref="NonRetryableGenerationException"/> for
/// requests that can never succeed (unknown scheduler, invalid size) and let anything else (ONNX Runtime errors) escape so
/// the queue retries.
/// </summary>
public interface IImageGenerator
{
    /// <summary>Generates the images of one job.</summary>
    Task<GeneratedImages> GenerateAsync(ImageGenerationInput input, Action<int, int> onStep, CancellationToken cancellationToken);

    /// <summary>
    /// <paramref name="parameters"/> with what the client and the operator left unset (size, steps, guidance, scheduler)
    /// filled from the model the engine serves; the worker records the result in the job before generating.
    /// </summary>
    GenerationParameters ResolveDefaults(GenerationParameters parameters) => parameters;

    /// <summary>The device and model jobs run on, recorded in each job; null when the engine cannot say.</summary>
    EngineDescription? Describe() => null;
}

/// <summary>What a job ran on.</summary>
/// <param name="Device">The execution provider in use: <c>cuda:{device id}</c> or <c>cpu</c>.</param>
/// <param name="Model">The model's name (its folder's).</param>
public sealed record EngineDescription(string Device, string Model);
