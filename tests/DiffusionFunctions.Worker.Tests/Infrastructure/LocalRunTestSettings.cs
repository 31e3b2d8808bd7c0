using DiffusionFunctions.LocalRunner;
using DiffusionFunctions.ModelGeneration;
using DiffusionFunctions.TestSupport;

namespace DiffusionFunctions.Worker.Tests.Infrastructure;

/// <summary>
/// The settings an in-process local run gets in these tests: the run's own defaults for the generated tiny model, the
/// test's private storage names, and the CPU provider.
/// </summary>
internal static class LocalRunTestSettings
{
    public static async Task<Dictionary<string, string?>> CreateAsync(AzuriteTestNames names)
    {
        var settings = LocalSettings.Create(await GeneratedModelCache.GetTinyAsync());
        foreach (var (key, value) in names.ToSettings())
        {
            settings[key] = value;
        }

        settings["DiffusionFunctions:Engine:Provider"] = "Cpu";
        return settings;
    }
}
