namespace DiffusionFunctions.Core.Generation;

/// <summary>
/// The parameters a job runs with: the seed chosen, images referred to by blob name. Stored in the job record and returned
/// by <c>GET /api/generations/{id}</c>. Width, height, steps, guidance and scheduler are null while queued when neither the
/// client nor an operator setting (<c>DiffusionFunctions:Generation:Default*</c>) gave them; the worker fills them from the
/// model folder when it starts the job and writes the values it uses back into the record.
/// </summary>
public sealed record GenerationParameters
{
    /// <summary>The prompt.</summary>
    public required string Prompt { get; init; }

    /// <summary>The negative prompt, if any.</summary>
    public string? NegativePrompt { get; init; }

    /// <summary>Width in pixels; null until the worker fills in the model's default.</summary>
    public int? Width { get; init; }

    /// <summary>Height in pixels; null until the worker fills in the model's default.</summary>
    public int? Height { get; init; }

    /// <summary>Denoising steps; null until the worker fills in the engine's default.</summary>
    public int? Steps { get; init; }

    /// <summary>Classifier-free guidance scale; null until the worker fills in the model's default.</summary>
    public double? GuidanceScale { get; init; }

    /// <summary>The seed (given or picked), 0 to 4294967295.</summary>
    public required long Seed { get; init; }

    /// <summary>Scheduler name; null means the model folder's own scheduler (the worker writes its name when it starts).</summary>
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

    /// <summary>
    /// The deployment's model the job runs on (<c>DiffusionFunctions:Models</c>; the default model when the request named
    /// none), which also chose its queue; null in a deployment without a model list whose request named no model.
    /// </summary>
    public string? Model { get; init; }
}
