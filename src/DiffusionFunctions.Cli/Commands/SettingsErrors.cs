using System.Text.RegularExpressions;

namespace DiffusionFunctions.Cli.Commands;

/// <summary>
/// Turns the engine's refusal of a setting (an <see cref="ArgumentException"/> naming <c>GenerationSettings.Width</c> and
/// ending in <c>(Parameter 'settings')</c>) into a usage error in dfx's words, naming the option. dfx checks every option
/// before the model loads; this covers what only the loaded model can say (its VAE factor, its scheduler config).
/// </summary>
public static partial class SettingsErrors
{
    private static readonly Dictionary<string, string> OptionNames = new(StringComparer.Ordinal)
    {
        ["Prompt"] = "--prompt",
        ["NegativePrompt"] = "--negative",
        ["Steps"] = "--steps",
        ["GuidanceScale"] = "--guidance",
        ["GuidanceRescale"] = "the model's guidance_rescale",
        ["Count"] = "--count",
        ["Width"] = "--width",
        ["Height"] = "--height",
        ["Scheduler"] = "--scheduler",
        ["Strength"] = "--strength",
        ["Mask"] = "--mask",
        ["InitImage"] = "--init",
    };

    /// <summary>The usage error for <paramref name="exception"/>: its message without the parameter suffix, options named as on the command line.</summary>
    public static UsageException ToUsage(ArgumentException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = ParameterSuffix().Replace(exception.Message, "");
        message = SettingName().Replace(message, m => OptionNames.GetValueOrDefault(m.Groups["name"].Value, m.Groups["name"].Value.ToLowerInvariant()));
        message = message.Length > 0 ? char.ToLowerInvariant(message[0]) + message[1..] : message;
        return new UsageException(message, exception);
    }

    [GeneratedRegex(@"\s*\(Parameter '[^']*'\)\s*$")]
    private static partial Regex ParameterSuffix();

    [GeneratedRegex(@"GenerationSettings\.(?<name>[A-Za-z]+)")]
    private static partial Regex SettingName();
}
