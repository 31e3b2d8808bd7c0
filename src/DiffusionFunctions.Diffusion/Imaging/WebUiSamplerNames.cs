namespace DiffusionFunctions.Diffusion.Imaging;

/// <summary>Maps the engine's scheduler names to the sampler names the common web UIs write ("Euler a", "DPM++ 2M Karras").</summary>
public static class WebUiSamplerNames
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["pndm"] = "PLMS",
        ["ddim"] = "DDIM",
        ["euler"] = "Euler",
        ["euler-ancestral"] = "Euler a",
        ["lms"] = "LMS",
        ["dpm++-2m"] = "DPM++ 2M",
        ["dpm++-2m-karras"] = "DPM++ 2M Karras",
        ["lcm"] = "LCM",
        ["ddpm"] = "DDPM",
    };

    /// <summary>The web UI name for <paramref name="schedulerName"/>, or the name itself when there is no equivalent.</summary>
    public static string FromSchedulerName(string schedulerName)
    {
        ArgumentNullException.ThrowIfNull(schedulerName);
        return Names.GetValueOrDefault(schedulerName, schedulerName);
    }
}
