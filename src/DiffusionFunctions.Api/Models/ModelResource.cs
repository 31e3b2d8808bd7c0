namespace DiffusionFunctions.Api.Models;

/// <summary>
/// The body of <c>GET /api/models</c>: the models this deployment serves, the default first (one without a model list;
/// empty when the API has no description of it).
/// </summary>
/// <param name="Models">The models.</param>
public sealed record ModelsResource(IReadOnlyList<ModelResource> Models);

/// <summary>One model: its name, the defaults a job gets, the accepted ranges, the schedulers and, when published, its vocabulary.</summary>
public sealed record ModelResource
{
    /// <summary>The model's name (as jobs record it in <c>model</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The diffusers pipeline class of the folder, if it says.</summary>
    public string? Pipeline { get; init; }

    /// <summary>The model family, when the operator names it (<c>DiffusionFunctions:Models:&lt;name&gt;:Family</c>).</summary>
    public string? Family { get; init; }

    /// <summary>Whether a job that names no model runs on this one.</summary>
    public bool IsDefault { get; init; }

    /// <summary>The modes requests for this model may use (<c>txt2img</c>, <c>img2img</c>, <c>inpaint</c>).</summary>
    public required IReadOnlyList<string> Modes { get; init; }

    /// <summary>What a job that leaves a value out runs with: an operator's pinned default, else the model folder's.</summary>
    public required ModelDefaultsResource Defaults { get; init; }

    /// <summary>The ranges requests are validated against.</summary>
    public required ModelLimitsResource Limits { get; init; }

    /// <summary>The scheduler names a request may give.</summary>
    public required IReadOnlyList<string> Schedulers { get; init; }

    /// <summary>The words the model knows (lower case), or null when it publishes no vocabulary (every word is accepted without warnings).</summary>
    public IReadOnlyList<string>? Vocabulary { get; init; }
}

/// <summary>Default generation values.</summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Steps">Denoising steps.</param>
/// <param name="GuidanceScale">Classifier-free guidance scale.</param>
/// <param name="Scheduler">Scheduler name.</param>
public sealed record ModelDefaultsResource(int Width, int Height, int Steps, double GuidanceScale, string Scheduler);

/// <summary>The accepted ranges (the model's <c>DiffusionFunctions:Models:&lt;name&gt;</c> settings, else <c>DiffusionFunctions:Generation</c>).</summary>
/// <param name="MinSize">Smallest width or height.</param>
/// <param name="MaxSize">Largest width or height.</param>
/// <param name="SizeMultiple">Width and height must be multiples of this.</param>
/// <param name="MinSteps">Fewest steps.</param>
/// <param name="MaxSteps">Most steps.</param>
/// <param name="MinGuidanceScale">Smallest guidance scale.</param>
/// <param name="MaxGuidanceScale">Largest guidance scale.</param>
/// <param name="MaxCount">Most images per job.</param>
public sealed record ModelLimitsResource(
    int MinSize, int MaxSize, int SizeMultiple, int MinSteps, int MaxSteps, double MinGuidanceScale, double MaxGuidanceScale, int MaxCount);
