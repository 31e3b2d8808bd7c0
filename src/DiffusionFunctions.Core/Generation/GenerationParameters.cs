namespace DiffusionFunctions.Core.Generation;

/// <summary>
/// The parameters a job actually runs with: defaults filled in, the seed chosen, images referred to by blob name.
/// Stored in the job record and returned by <c>GET /api/generations/{id}</c>.
/// </summary>
public sealed record GenerationParameters
{
    /// <summary>The prompt.</summary>
    public required string Prompt { get; init; }

    /// <summary>The negative prompt, if any.</summary>
    public string? NegativePrompt { get; init; }

    /// <summary>Width in pixels.</summary>
    public required int Width { get; init; }

    /// <summary>Height in pixels.</summary>
    public required int Height { get; init; }

    /// <summary>Denoising steps.</summary>
    public required int Steps { get; init; }

    /// <summary>Classifier-free guidance scale.</summary>
    public required double GuidanceScale { get; init; }

    /// <summary>The seed (given or picked), 0 to 4294967295.</summary>
    public required long Seed { get; init; }

    /// <summary>Scheduler name; null means the model folder's own scheduler.</summary>
    public string? Scheduler { get; init; }

    /// <summary>Images to generate.</summary>
    public required int Count { get; init; }

    /// <summary>Generation mode.</summary>
    public required GenerationMode Mode { get; init; }

    /// <summary>img2img / inpaint strength; null for txt2img.</summary>
    public double? Strength { get; init; }

    /// <summary>Blob name of the init image in the inputs container (img2img, inpaint).</summary>
    public string? InitImageBlob { get; init; }

    /// <summary>Blob name of the mask in the inputs container (inpaint).</summary>
    public string? MaskBlob { get; init; }

    /// <summary>Absolute URL to POST the finished-job event to, if any.</summary>
    public string? CallbackUrl { get; init; }
}
