using DiffusionFunctions.Diffusion.Schedulers;

namespace DiffusionFunctions.Diffusion.Pipeline;

/// <summary>Picks the sampler for a run: the requested name, or the one the model folder's scheduler config names.</summary>
internal static class SchedulerSelection
{
    /// <summary>The fallback when the folder ships a scheduler class no sampler here implements.</summary>
    public const string FallbackName = "euler";

    /// <summary>The folder's own sampler (<see cref="SchedulerFactory.DefaultNameFor(SchedulerConfig)"/>), else <see cref="FallbackName"/>.</summary>
    public static string DefaultName(SchedulerConfig config)
    {
        if (!SchedulerFactory.TryGetDefaultName(config.ClassName, out var name))
        {
            return FallbackName;
        }

        return name == "dpm++-2m" && config.UseKarrasSigmas ? "dpm++-2m-karras" : name;
    }

    /// <summary>The canonical (lower-case) name for a requested name, or <see langword="null"/> when unknown.</summary>
    public static string? Canonical(string name) =>
        SchedulerFactory.Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));

    /// <exception cref="ArgumentException">The sampler cannot run with the model's scheduler config.</exception>
    public static IScheduler Create(string name, SchedulerConfig config)
    {
        try
        {
            return SchedulerFactory.Create(name, config);
        }
        catch (SchedulerConfigException ex)
        {
            throw new ArgumentException($"GenerationSettings.Scheduler '{name}' cannot run with this model's scheduler config: {ex.Message}", ex);
        }
    }
}
