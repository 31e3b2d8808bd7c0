namespace DiffusionFunctions.ModelGeneration;

/// <summary>The command-line names of the presets (<c>dfx model create --preset</c>, the bench's <c>--preset</c>).</summary>
public static class ModelPresetNames
{
    /// <summary>Name → preset, in the order help texts list them.</summary>
    public static IReadOnlyDictionary<string, ModelPreset> All { get; } = new Dictionary<string, ModelPreset>(StringComparer.Ordinal)
    {
        ["tiny"] = ModelPreset.Tiny,
        ["sd15"] = ModelPreset.Sd15,
        ["sdxl-tiny"] = ModelPreset.SdxlTiny,
        ["sdxl"] = ModelPreset.Sdxl,
        ["sdxl-refiner-tiny"] = ModelPreset.SdxlRefinerTiny,
        ["sdxl-turbo-tiny"] = ModelPreset.SdxlTurboTiny,
        ["lcm-tiny"] = ModelPreset.LcmTiny,
        ["sd-turbo-tiny"] = ModelPreset.SdTurboTiny,
    };

    /// <summary>The name of <paramref name="preset"/>.</summary>
    public static string NameOf(ModelPreset preset) => All.First(p => p.Value == preset).Key;

    /// <summary>Whether the preset is full size (gigabytes, minutes to write) rather than test size.</summary>
    public static bool IsFullSize(ModelPreset preset) => preset is ModelPreset.Sd15 or ModelPreset.Sdxl;
}
