namespace DiffusionFunctions.Core.Generation;

/// <summary>
/// A generation request as the client sent it (the body of <c>POST /api/generations</c>). Every property is optional
/// on the wire so that validation can name what is missing; <see cref="GenerationRequestValidator"/> turns it into
/// <see cref="GenerationParameters"/>. JSON property names are the camelCase forms of these names.
/// </summary>
public sealed record GenerationRequest
{
    /// <summary>What to draw (required). Checked against the blocked-term policy.</summary>
    public string? Prompt { get; init; }

    /// <summary>What to avoid. Not checked against the blocked-term policy.</summary>
    public string? NegativePrompt { get; init; }

    /// <summary>Image width in pixels, a multiple of 8.</summary>
    public int? Width { get; init; }

    /// <summary>Image height in pixels, a multiple of 8.</summary>
    public int? Height { get; init; }

    /// <summary>Denoising steps.</summary>
    public int? Steps { get; init; }

    /// <summary>Classifier-free guidance scale.</summary>
    public double? GuidanceScale { get; init; }

    /// <summary>Random seed, 0 to 4294967295; one is picked and returned when absent.</summary>
    public long? Seed { get; init; }

    /// <summary>Scheduler name (see <see cref="SchedulerNames"/>); the model's own when absent.</summary>
    public string? Scheduler { get; init; }

    /// <summary>Images to generate.</summary>
    public int? Count { get; init; }

    /// <summary><c>txt2img</c>, <c>img2img</c> or <c>inpaint</c>; inferred from the images when absent.</summary>
    public string? Mode { get; init; }

    /// <summary>The init image, base64 (JSON bodies only; multipart bodies send it as a file part).</summary>
    public string? InitImage { get; init; }

    /// <summary>The inpainting mask, base64 (JSON bodies only; multipart bodies send it as a file part).</summary>
    public string? Mask { get; init; }

    /// <summary>How much of the init image to repaint, 0 (exclusive) to 1.</summary>
    public double? Strength { get; init; }

    /// <summary>An absolute https URL the worker POSTs the finished-job event to.</summary>
    public string? CallbackUrl { get; init; }

    /// <summary>The deployment's model to run on (one of <c>GET /api/models</c>); the default model when absent.</summary>
    public string? Model { get; init; }
}
