namespace DiffusionFunctions.Core.Logos;

/// <summary>
/// The logo-on-upload workflow's settings, bound from <c>DiffusionFunctions:Logos</c> and validated at start-up by
/// <see cref="LogoOptionsValidator"/>.
/// </summary>
public sealed class LogoOptions
{
    /// <summary>The configuration section, relative to the root.</summary>
    public const string SectionName = "DiffusionFunctions:Logos";

    /// <summary>The container whose uploads start logo runs (briefs, sketches, sidecars; refusals are written beside them).</summary>
    public string RequestsContainer { get; set; } = "logo-requests";

    /// <summary>The queue that receives the container's <c>Microsoft.Storage.BlobCreated</c> events, Event Grid schema.</summary>
    public string RequestsEventsQueue { get; set; } = "logo-requests-events";

    /// <summary>The blob prefix in the results container under which each run's logos and manifest land (<c>logos/{brief name}/</c>).</summary>
    public string ResultsPrefix { get; set; } = "logos";

    /// <summary>The most logos one brief may ask for (<c>count</c>).</summary>
    public int MaxCount { get; set; } = 16;

    /// <summary>How many logos a brief without <c>count</c> gets.</summary>
    public int DefaultCount { get; set; } = 4;

    /// <summary>The largest JSON brief (or sidecar) accepted, in bytes.</summary>
    public int MaxBriefBytes { get; set; } = 64 * 1024;

    /// <summary>How much of a sketch img2img repaints when the brief gives no <c>strength</c>.</summary>
    public double SketchStrength { get; set; } = 0.6;

    /// <summary>
    /// A prompt template file for this deployment (see <see cref="LogoPromptTemplate"/>); empty: the served model folder's
    /// <c>logo_template.json</c>, else the built-in default.
    /// </summary>
    public string? TemplatePath { get; set; }
}
