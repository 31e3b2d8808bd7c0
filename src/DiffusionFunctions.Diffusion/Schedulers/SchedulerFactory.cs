namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>
/// Selects a sampler by its API name and maps a model folder's diffusers scheduler class (<c>_class_name</c>) to the
/// name of its default. The names are those the HTTP API accepts.
/// </summary>
public static class SchedulerFactory
{
    private static readonly (string Name, string ClassName, Func<SchedulerConfig, IScheduler> Create)[] Entries =
    [
        ("pndm", "PNDMScheduler", c => new PndmScheduler(c)),
        ("ddim", "DDIMScheduler", c => new DdimScheduler(c)),
        ("euler", "EulerDiscreteScheduler", c => new EulerDiscreteScheduler(c)),
        ("euler-ancestral", "EulerAncestralDiscreteScheduler", c => new EulerAncestralDiscreteScheduler(c)),
        ("lms", "LMSDiscreteScheduler", c => new LmsDiscreteScheduler(c)),
        ("dpm++-2m", "DPMSolverMultistepScheduler", c => new DpmSolverMultistepScheduler(c with { UseKarrasSigmas = false })),
        ("dpm++-2m-karras", "DPMSolverMultistepScheduler", c => new DpmSolverMultistepScheduler(c with { UseKarrasSigmas = true })),
        ("lcm", "LCMScheduler", c => new LcmScheduler(c)),
        ("ddpm", "DDPMScheduler", c => new DdpmScheduler(c)),
    ];

    /// <summary>Every accepted scheduler name, in a stable order.</summary>
    public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly(Entries.Select(e => e.Name).ToArray());

    /// <summary>The diffusers scheduler classes that have a sampler here.</summary>
    public static IReadOnlyList<string> SupportedClassNames { get; } =
        Array.AsReadOnly(Entries.Select(e => e.ClassName).Distinct(StringComparer.Ordinal).ToArray());

    /// <summary>Creates the sampler named <paramref name="name"/> (case-insensitive) from <paramref name="config"/>.</summary>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the valid names.</exception>
    /// <exception cref="SchedulerConfigException">The configuration holds a value that sampler does not support.</exception>
    public static IScheduler Create(string name, SchedulerConfig config)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(config);
        foreach (var entry in Entries)
        {
            if (string.Equals(entry.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return entry.Create(config);
            }
        }

        throw new ArgumentException($"Unknown scheduler '{name}'. Valid names: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>Whether <paramref name="name"/> is an accepted scheduler name (case-insensitive).</summary>
    public static bool IsKnown(string? name) =>
        name is not null && Names.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The API name of the sampler a model folder ships, from its <c>_class_name</c> (e.g. PNDMScheduler → "pndm").</summary>
    /// <exception cref="ArgumentException">No sampler here implements that class; the message lists the supported classes.</exception>
    public static string DefaultNameFor(string diffusersClassName) =>
        TryGetDefaultName(diffusersClassName, out var name)
            ? name
            : throw new ArgumentException(
                $"The scheduler class '{diffusersClassName}' has no sampler here. Supported: {string.Join(", ", SupportedClassNames)}.",
                nameof(diffusersClassName));

    /// <summary>
    /// The API name of a model folder's own scheduler: its <c>_class_name</c>, with DPM-Solver's
    /// <c>use_karras_sigmas</c> choosing between "dpm++-2m" and "dpm++-2m-karras".
    /// </summary>
    /// <exception cref="ArgumentException">The configuration has no <c>_class_name</c> or names an unsupported class.</exception>
    public static string DefaultNameFor(SchedulerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var className = config.ClassName
            ?? throw new ArgumentException("The scheduler config has no '_class_name'.", nameof(config));
        var name = DefaultNameFor(className);
        return name == "dpm++-2m" && config.UseKarrasSigmas ? "dpm++-2m-karras" : name;
    }

    /// <summary>Looks up the default sampler name for a diffusers scheduler class.</summary>
    public static bool TryGetDefaultName(string? diffusersClassName, out string name)
    {
        foreach (var entry in Entries)
        {
            if (string.Equals(entry.ClassName, diffusersClassName, StringComparison.Ordinal))
            {
                name = entry.Name;
                return true;
            }
        }

        name = string.Empty;
        return false;
    }
}
