namespace DiffusionFunctions.Diffusion.Pipeline;

/// <summary>
/// The outcome of a run. Images the safety checker flagged are withheld: they are counted and their indices listed, never
/// returned.
/// </summary>
public sealed record GenerationResult
{
    /// <summary>The returned images, in index order.</summary>
    public required IReadOnlyList<GeneratedImage> Images { get; init; }

    /// <summary>Indices of the images the safety checker withheld.</summary>
    public required IReadOnlyList<int> WithheldIndices { get; init; }

    /// <summary>How many images were withheld.</summary>
    public int WithheldCount => WithheldIndices.Count;

    /// <summary>txt2img, img2img or inpainting.</summary>
    public required GenerationMode Mode { get; init; }

    /// <summary>The sampler that ran.</summary>
    public required string SchedulerName { get; init; }

    /// <summary>Denoising steps that ran.</summary>
    public required int StepsRun { get; init; }

    /// <summary>Output width.</summary>
    public required int Width { get; init; }

    /// <summary>Output height.</summary>
    public required int Height { get; init; }

    /// <summary>Prompt tokens (without special tokens); more than 75 means the prompt was chunked.</summary>
    public required int PromptTokenCount { get; init; }

    /// <summary>Texts the text encoder encoded: each distinct text of the prompt and negative prompt schedules, once.</summary>
    public int EncodedPromptTexts { get; init; }

    /// <summary>What of the prompts the engine could not honour (unsupported web UI syntax), in words for the job.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Wall time of the run.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Time spent inside ONNX Runtime runs.</summary>
    public required TimeSpan OnnxRuntimeTime { get; init; }

    /// <summary>The batch each UNet call ran on: 2 × images under classifier-free guidance, the image count without it (Turbo, LCM).</summary>
    public int UnetBatchSize { get; init; }

    /// <summary>How many times the UNet ran (one call per denoising step, the whole batch at once).</summary>
    public int UnetCalls { get; init; }

    /// <summary>The model family that conditioned the run (<c>sd</c>, <c>sdxl</c>, <c>sdxl-refiner</c>).</summary>
    public string Family { get; init; } = "sd";
}
