using DiffusionFunctions.Core.Generation;

namespace DiffusionFunctions.Core.Routing;

/// <summary>Reads <see cref="ModelEntryOptions.Modes"/> (comma-separated wire names).</summary>
public static class ModelModes
{
    /// <summary>Every mode, in documentation order.</summary>
    public static IReadOnlyList<GenerationMode> All { get; } = [GenerationMode.TextToImage, GenerationMode.ImageToImage, GenerationMode.Inpaint];

    /// <summary>The modes of <paramref name="setting"/> (all when unset), or false with the first unknown name.</summary>
    public static bool TryParse(string? setting, out IReadOnlyList<GenerationMode> modes, out string? unknown)
    {
        unknown = null;
        if (string.IsNullOrWhiteSpace(setting))
        {
            modes = All;
            return true;
        }

        var parsed = new List<GenerationMode>();
        foreach (var part in setting.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!GenerationModeNames.TryParse(part, out var mode))
            {
                unknown = part;
                modes = [];
                return false;
            }

            if (!parsed.Contains(mode))
            {
                parsed.Add(mode);
            }
        }

        modes = parsed.Count == 0 ? All : [.. parsed.Order()];
        return true;
    }
}
