using DiffusionFunctions.Diffusion.Schedulers;

namespace DiffusionFunctions.Diffusion.Pipeline;

/// <summary>Picks the sampler for a run: the requested name, or the one the model folder's scheduler config names.</summary>
internal static class SchedulerSelection
{
    public static IReadOnlyList<string> Names { get; } = ["euler", "ddim"];

    public static string DefaultName(SchedulerConfig config) => config.ClassName switch
    {
        "DDIMScheduler" => "ddim",
        _ => "euler",
    };

    /// <exception cref="ArgumentException">The name is not a known sampler; the message lists the valid names.</exception>
    public static IScheduler Create(string name, SchedulerConfig config) => name switch
    {
        "euler" => new EulerDiscreteScheduler(config),
        "ddim" => new DdimScheduler(config),
        _ => throw new ArgumentException($"Unknown scheduler '{name}'; valid names: {string.Join(", ", Names)}."),
    };
}
