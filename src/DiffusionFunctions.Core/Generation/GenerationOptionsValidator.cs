using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Generation;

/// <summary>Validates <see cref="GenerationOptions"/>; every message names the setting it is about.</summary>
public sealed class GenerationOptionsValidator : IValidateOptions<GenerationOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Check(options, GenerationOptions.SectionName);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// The failures of <paramref name="options"/>, each naming its setting under <paramref name="prefix"/> (the model
    /// list checks each model's effective options with its own section as the prefix).
    /// </summary>
    public static List<string> Check(GenerationOptions options, string prefix)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (options.MinSize < 8 || options.MinSize % 8 != 0)
        {
            failures.Add($"{prefix}:MinSize must be a positive multiple of 8, got {options.MinSize}.");
        }

        if (options.MaxSize < options.MinSize || options.MaxSize % 8 != 0 || options.MaxSize > 4096)
        {
            failures.Add($"{prefix}:MaxSize must be a multiple of 8 between {prefix}:MinSize and 4096, got {options.MaxSize}.");
        }

        CheckDefaultSize(failures, "DefaultWidth", options.DefaultWidth, options, prefix);
        CheckDefaultSize(failures, "DefaultHeight", options.DefaultHeight, options, prefix);

        if (options.MinSteps < 1 || options.MaxSteps < options.MinSteps || options.MaxSteps > 1000)
        {
            failures.Add($"{prefix}:MinSteps and {prefix}:MaxSteps must satisfy 1 <= MinSteps <= MaxSteps <= 1000, got {options.MinSteps} and {options.MaxSteps}.");
        }
        else if (options.DefaultSteps is { } steps && (steps < options.MinSteps || steps > options.MaxSteps))
        {
            failures.Add($"{prefix}:DefaultSteps must be between {options.MinSteps} and {options.MaxSteps}, got {options.DefaultSteps}.");
        }

        if (!double.IsFinite(options.MinGuidanceScale) || !double.IsFinite(options.MaxGuidanceScale)
            || options.MinGuidanceScale < 0 || options.MaxGuidanceScale < options.MinGuidanceScale)
        {
            failures.Add($"{prefix}:MinGuidanceScale and {prefix}:MaxGuidanceScale must satisfy 0 <= MinGuidanceScale <= MaxGuidanceScale, got {options.MinGuidanceScale} and {options.MaxGuidanceScale}.");
        }
        else if (options.DefaultGuidanceScale is { } guidance
            && (!double.IsFinite(guidance) || guidance < options.MinGuidanceScale || guidance > options.MaxGuidanceScale))
        {
            failures.Add($"{prefix}:DefaultGuidanceScale must be between {options.MinGuidanceScale} and {options.MaxGuidanceScale}, got {options.DefaultGuidanceScale}.");
        }

        if (options.DefaultScheduler is { Length: > 0 } scheduler && !SchedulerNames.IsKnown(scheduler))
        {
            failures.Add($"{prefix}:DefaultScheduler must be one of {string.Join(", ", SchedulerNames.All)}, got '{scheduler}'.");
        }

        if (options.MaxCount is < 1 or > 16)
        {
            failures.Add($"{prefix}:MaxCount must be between 1 and 16, got {options.MaxCount}.");
        }

        if (!(options.DefaultStrength > 0 && options.DefaultStrength <= 1))
        {
            failures.Add($"{prefix}:DefaultStrength must be greater than 0 and at most 1, got {options.DefaultStrength}.");
        }

        if (options.MaxPromptLength is < 1 or > 100_000)
        {
            failures.Add($"{prefix}:MaxPromptLength must be between 1 and 100000, got {options.MaxPromptLength}.");
        }

        if (options.MaxInputImageBytes is < 1024 or > 64 * 1024 * 1024)
        {
            failures.Add($"{prefix}:MaxInputImageBytes must be between 1024 and 67108864, got {options.MaxInputImageBytes}.");
        }

        if (options.MaxInputImagePixels is < 64 or > 100_000_000)
        {
            failures.Add($"{prefix}:MaxInputImagePixels must be between 64 and 100000000, got {options.MaxInputImagePixels}.");
        }

        return failures;
    }

    private static void CheckDefaultSize(List<string> failures, string setting, int? given, GenerationOptions options, string prefix)
    {
        if (given is { } value && (value % 8 != 0 || value < options.MinSize || value > options.MaxSize))
        {
            failures.Add($"{prefix}:{setting} must be a multiple of 8 between {options.MinSize} and {options.MaxSize}, got {value}.");
        }
    }
}
