namespace DiffusionFunctions.Api.Resources;

/// <summary>
/// The job as the API shows it (body of 202 Accepted, <c>GET</c> and <c>DELETE /api/generations/{id}</c>).
/// Serialized camelCase; the schema <c>Generation</c> in <c>openapi.yaml</c> lists the same properties.
/// </summary>
public sealed record GenerationResource
{
    /// <summary>The job id.</summary>
    public required string Id { get; init; }

    /// <summary><c>queued</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    public required string Status { get; init; }

    /// <summary>When the job was accepted.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When a worker started it.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>When the record last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>True when a cancel was requested.</summary>
    public bool CancelRequested { get; init; }

    /// <summary>The parameters the job runs with (the seed included).</summary>
    public required GenerationParametersResource Parameters { get; init; }

    /// <summary>Step progress (while running, and the last value afterwards).</summary>
    public GenerationProgressResource? Progress { get; init; }

    /// <summary>Short-lived read-only URLs of the images (succeeded jobs).</summary>
    public IReadOnlyList<string> Results { get; init; } = [];

    /// <summary>When the <see cref="Results"/> URLs stop working.</summary>
    public DateTimeOffset? ResultsExpireAt { get; init; }

    /// <summary>Images withheld by the safety checker.</summary>
    public int WithheldCount { get; init; }

    /// <summary>Prompt tokens dropped past the text encoder's limit, when reported.</summary>
    public int? TokensTruncated { get; init; }

    /// <summary>Where the worker ran the job (<c>cuda:0</c>, <c>cpu</c>), once it started.</summary>
    public string? Device { get; init; }

    /// <summary>
    /// The model of the job: the one the worker ran it with once it started, before that the deployment's model it was
    /// routed to (<c>parameters.model</c>), if any.
    /// </summary>
    public string? Model { get; init; }

    /// <summary>What the engine could not honour without failing the job (unsupported prompt syntax), in words.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Why the job failed.</summary>
    public GenerationErrorResource? Error { get; init; }
}

/// <summary>The parameters of a job as shown by the API.</summary>
public sealed record GenerationParametersResource
{
    /// <summary>The prompt.</summary>
    public required string Prompt { get; init; }

    /// <summary>The negative prompt.</summary>
    public string? NegativePrompt { get; init; }

    /// <summary>Width in pixels; null while queued when the model's default applies (the worker fills it in when it starts).</summary>
    public int? Width { get; init; }

    /// <summary>Height in pixels; null while queued when the model's default applies.</summary>
    public int? Height { get; init; }

    /// <summary>Denoising steps; null while queued when the engine's default applies.</summary>
    public int? Steps { get; init; }

    /// <summary>Guidance scale; null while queued when the model's default applies.</summary>
    public double? GuidanceScale { get; init; }

    /// <summary>The seed used (given or picked).</summary>
    public required long Seed { get; init; }

    /// <summary>Scheduler name; null while queued when the model's own applies (the worker writes its name when it starts).</summary>
    public string? Scheduler { get; init; }

    /// <summary>Images requested.</summary>
    public required int Count { get; init; }

    /// <summary><c>txt2img</c>, <c>img2img</c> or <c>inpaint</c>.</summary>
    public required string Mode { get; init; }

    /// <summary>img2img / inpaint strength.</summary>
    public double? Strength { get; init; }

    /// <summary>True when an init image was uploaded.</summary>
    public bool HasInitImage { get; init; }

    /// <summary>True when a mask was uploaded.</summary>
    public bool HasMask { get; init; }

    /// <summary>The callback URL, if any.</summary>
    public string? CallbackUrl { get; init; }

    /// <summary>The deployment's model the job was routed to (its queue); null without a model list when the request named none.</summary>
    public string? Model { get; init; }
}

/// <summary>Step progress.</summary>
/// <param name="Step">Steps done.</param>
/// <param name="TotalSteps">Steps in total.</param>
public sealed record GenerationProgressResource(int Step, int TotalSteps);

/// <summary>A failed job's error.</summary>
/// <param name="Code">Stable code.</param>
/// <param name="Message">Explanation.</param>
public sealed record GenerationErrorResource(string Code, string Message);
