namespace DiffusionFunctions.Core.Routing;

/// <summary>
/// The models one deployment serves, each with its own queue (so one worker app per model, scaling on its own queue).
/// Bound from the <c>DiffusionFunctions</c> section: <c>DiffusionFunctions:Models:&lt;name&gt;:*</c> (one subsection per
/// model) and <c>DiffusionFunctions:DefaultModel</c>. Validated at start-up by <see cref="ModelListOptionsValidator"/>.
/// With no model listed the deployment serves one model, as before: jobs go to <c>DiffusionFunctions:Storage:GenerationQueue</c>
/// under the <c>DiffusionFunctions:Generation</c> rules.
/// </summary>
public sealed class ModelListOptions
{
    /// <summary>The configuration section this binds (its <c>Models</c> and <c>DefaultModel</c> keys).</summary>
    public const string SectionName = "DiffusionFunctions";

    /// <summary>The section of the list, relative to the root.</summary>
    public const string ModelsSectionName = SectionName + ":Models";

    /// <summary>The models by name (lower-case letters, digits and single hyphens, at most 32 characters).</summary>
    public Dictionary<string, ModelEntryOptions> Models { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The model a job that names none runs on. Required when several models are listed; one listed model is its own default.</summary>
    public string? DefaultModel { get; set; }
}

/// <summary>
/// One model of the list (<c>DiffusionFunctions:Models:&lt;name&gt;</c>). Unset ranges and defaults fall back to
/// <c>DiffusionFunctions:Generation</c>; unset defaults there fall back to the model folder (when the API can read it,
/// through <see cref="Path"/>) and the engine.
/// </summary>
public sealed class ModelEntryOptions
{
    /// <summary>The model's queue; unset: <c>{DiffusionFunctions:Storage:GenerationQueue}-{name}</c>. Its worker app reads it as its own <c>GenerationQueue</c>.</summary>
    public string? Queue { get; set; }

    /// <summary>
    /// The model folder the API reads the model's description from (its JSON files only; as <c>DiffusionFunctions:Model:Path</c>).
    /// Unset: the API describes the model from these settings alone (cloud deployments, where only the workers hold the folders).
    /// </summary>
    public string? Path { get; set; }

    /// <summary>The model family, for clients (for example <c>sd15</c>, <c>sdxl</c>, <c>sdxl-turbo</c>, <c>lcm</c>); shown by <c>GET /api/models</c>.</summary>
    public string? Family { get; set; }

    /// <summary>The modes this model accepts, comma-separated (<c>txt2img,img2img,inpaint</c>); unset: all three.</summary>
    public string? Modes { get; set; }

    /// <summary>Smallest width or height (a multiple of 8); unset: <c>DiffusionFunctions:Generation:MinSize</c>.</summary>
    public int? MinSize { get; set; }

    /// <summary>Largest width or height (a multiple of 8); unset: <c>DiffusionFunctions:Generation:MaxSize</c>.</summary>
    public int? MaxSize { get; set; }

    /// <summary>Fewest steps; unset: <c>DiffusionFunctions:Generation:MinSteps</c>.</summary>
    public int? MinSteps { get; set; }

    /// <summary>Most steps; unset: <c>DiffusionFunctions:Generation:MaxSteps</c>.</summary>
    public int? MaxSteps { get; set; }

    /// <summary>Width of a job that gives none; unset: <c>DiffusionFunctions:Generation:DefaultWidth</c>, else the model folder's.</summary>
    public int? DefaultWidth { get; set; }

    /// <summary>Height of a job that gives none; unset: <c>DiffusionFunctions:Generation:DefaultHeight</c>, else the model folder's.</summary>
    public int? DefaultHeight { get; set; }

    /// <summary>Steps of a job that gives none; unset: <c>DiffusionFunctions:Generation:DefaultSteps</c>, else the engine's.</summary>
    public int? DefaultSteps { get; set; }

    /// <summary>Guidance scale of a job that gives none; unset: <c>DiffusionFunctions:Generation:DefaultGuidanceScale</c>, else the folder's.</summary>
    public double? DefaultGuidanceScale { get; set; }

    /// <summary>Scheduler of a job that gives none; unset: <c>DiffusionFunctions:Generation:DefaultScheduler</c>, else the folder's.</summary>
    public string? DefaultScheduler { get; set; }
}
