using System.Globalization;
using System.Text.Json;

namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>
/// A <c>scheduler_config.json</c> key that a sampler's diffusers class takes but this project does not implement, with the
/// values that behave as diffusers' default. A sampler lists its own and calls <see cref="RejectNonDefault"/>: a folder that
/// sets one to anything else gets a <see cref="SchedulerConfigException"/> naming the key instead of a different image.
/// </summary>
internal sealed class UnimplementedOption
{
    private readonly Func<JsonElement, bool> _isDefault;

    private UnimplementedOption(string key, string defaultDescription, Func<JsonElement, bool> isDefault)
    {
        Key = key;
        DefaultDescription = defaultDescription;
        _isDefault = isDefault;
    }

    /// <summary>The diffusers key.</summary>
    public string Key { get; }

    /// <summary>The accepted value(s), for the error message.</summary>
    public string DefaultDescription { get; }

    /// <summary>A boolean option whose default is false.</summary>
    public static UnimplementedOption Flag(string key) =>
        new(key, "false", v => v.ValueKind == JsonValueKind.False);

    /// <summary>A number option; only its default is accepted.</summary>
    public static UnimplementedOption Number(string key, double defaultValue) =>
        new(key, defaultValue.ToString(CultureInfo.InvariantCulture), v => v.ValueKind == JsonValueKind.Number && v.GetDouble() == defaultValue);

    /// <summary>A string option; only its default is accepted.</summary>
    public static UnimplementedOption Text(string key, string defaultValue) =>
        new(key, $"\"{defaultValue}\"", v => v.ValueKind == JsonValueKind.String && v.GetString() == defaultValue);

    /// <summary>An option whose every value that reaches <see cref="SchedulerConfig.OtherKeys"/> is unimplemented (JSON nulls never do).</summary>
    public static UnimplementedOption AnyValue(string key, string accepted = "null") => new(key, accepted, _ => false);

    /// <summary>A string option that behaves as its default unless it holds one of <paramref name="implementedNowhere"/>.</summary>
    public static UnimplementedOption NotOneOf(string key, params string[] implementedNowhere) =>
        new(key, "anything but " + string.Join(", ", implementedNowhere), v => v.ValueKind != JsonValueKind.String || !implementedNowhere.Contains(v.GetString()));

    /// <summary>Throws for the first listed option the configuration sets to a value other than its default.</summary>
    /// <exception cref="SchedulerConfigException">Names the key, the value and the sampler.</exception>
    public static void RejectNonDefault(SchedulerConfig config, string samplerName, IEnumerable<UnimplementedOption> options)
    {
        foreach (var option in options)
        {
            if (config.OtherKeys.TryGetValue(option.Key, out var value) && !option._isDefault(value))
            {
                throw new SchedulerConfigException(
                    option.Key,
                    $"{value.GetRawText()} is not implemented by the '{samplerName}' sampler; it supports only {option.DefaultDescription} (the diffusers default)");
            }
        }
    }
}
