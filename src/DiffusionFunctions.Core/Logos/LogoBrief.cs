namespace DiffusionFunctions.Core.Logos;

/// <summary>
/// A logo brief as uploaded to the logo-requests container (a <c>.json</c> blob, or a sketch's sidecar
/// <c>{sketch name}.json</c>). JSON names are the camelCase forms of these names. Checked by
/// <see cref="LogoBriefValidator"/> with the same rules and blocked-term policy as <c>POST /api/generations</c>.
/// </summary>
public sealed record LogoBrief
{
    /// <summary>The brand name (required).</summary>
    public string? Brand { get; init; }

    /// <summary>An optional tagline.</summary>
    public string? Tagline { get; init; }

    /// <summary>A style phrase ("minimal", "retro badge"); the template's default when absent.</summary>
    public string? Style { get; init; }

    /// <summary>Brand colours (required, at least one): the last is the background when there are two or more.</summary>
    public IReadOnlyList<string>? Colors { get; init; }

    /// <summary>Shapes for the emblem, cycled over the logos.</summary>
    public IReadOnlyList<string>? Shapes { get; init; }

    /// <summary>Motifs (free phrases) for the emblem, cycled over the logos after the shapes.</summary>
    public IReadOnlyList<string>? Motifs { get; init; }

    /// <summary>How many logos to make.</summary>
    public int? Count { get; init; }

    /// <summary>What to avoid; the template's negative prompt when absent.</summary>
    public string? NegativePrompt { get; init; }

    /// <summary>The first logo's seed; logo i uses seed + i. Derived from the upload when absent.</summary>
    public long? Seed { get; init; }

    /// <summary>Where the run's completion event is POSTed (signed), checked like the API's <c>callbackUrl</c>.</summary>
    public string? CallbackUrl { get; init; }

    /// <summary>Image width.</summary>
    public int? Width { get; init; }

    /// <summary>Image height.</summary>
    public int? Height { get; init; }

    /// <summary>Denoising steps.</summary>
    public int? Steps { get; init; }

    /// <summary>Guidance scale.</summary>
    public double? GuidanceScale { get; init; }

    /// <summary>Scheduler name.</summary>
    public string? Scheduler { get; init; }

    /// <summary>img2img strength for sketches (<see cref="LogoOptions.SketchStrength"/> when absent).</summary>
    public double? Strength { get; init; }
}
