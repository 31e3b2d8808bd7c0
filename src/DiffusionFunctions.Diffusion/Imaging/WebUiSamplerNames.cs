namespace DiffusionFunctions.Diffusion.Imaging;

/// <summary>How the common web UIs (AUTOMATIC1111 1.9 and later) name a sampler in a PNG's parameters.</summary>
/// <param name="Name">The sampler name ("Euler a", "DPM++ 2M").</param>
/// <param name="ScheduleType">The <c>Schedule type</c> field ("Uniform", "Karras"); empty for samplers that have none (DDIM, PLMS, LCM).</param>
/// <param name="EtaDdim">The <c>Eta DDIM</c> field, for DDPM written as DDIM with η = 1; <see langword="null"/> otherwise.</param>
public sealed record WebUiSampler(string Name, string ScheduleType, double? EtaDdim = null);

/// <summary>
/// Maps the engine's scheduler names to the names the web UIs write and read back. The sigma schedule is written as an
/// explicit <c>Schedule type</c> (1.9 and later read a bare "DPM++ 2M" with Karras sigmas otherwise). DDPM, which the web UI
/// does not know, is written as its closest sampler there: DDIM with η = 1 (DDIM's η = 1 step is DDPM's posterior step).
/// </summary>
public static class WebUiSamplerNames
{
    /// <summary>The web UI's uniform sigma schedule (the model's own sigmas, spaced evenly).</summary>
    public const string Uniform = "Uniform";

    /// <summary>Karras et al.'s sigma schedule.</summary>
    public const string Karras = "Karras";

    private static readonly Dictionary<string, WebUiSampler> Samplers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["pndm"] = new("PLMS", ""),
        ["ddim"] = new("DDIM", ""),
        ["euler"] = new("Euler", Uniform),
        ["euler-ancestral"] = new("Euler a", Uniform),
        ["lms"] = new("LMS", Uniform),
        ["dpm++-2m"] = new("DPM++ 2M", Uniform),
        ["dpm++-2m-karras"] = new("DPM++ 2M", Karras),
        ["lcm"] = new("LCM", ""),
        ["ddpm"] = new("DDIM", "", EtaDdim: 1.0),
    };

    /// <summary>The web UI's sampler for <paramref name="schedulerName"/>; an unknown name is written as it is, without a schedule type.</summary>
    public static WebUiSampler FromScheduler(string schedulerName)
    {
        ArgumentNullException.ThrowIfNull(schedulerName);
        return Samplers.GetValueOrDefault(schedulerName) ?? new WebUiSampler(schedulerName, "");
    }

    /// <summary>The web UI's sampler name for <paramref name="schedulerName"/> (see <see cref="FromScheduler"/>).</summary>
    public static string FromSchedulerName(string schedulerName) => FromScheduler(schedulerName).Name;
}
