using System.Globalization;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Policy;

/// <summary>
/// Validates <see cref="PromptPolicyOptions"/> at start-up; every failure message names the setting
/// (<c>PromptPolicy:Source</c>, <c>PromptPolicy:ReloadInterval</c>) and the value found.
/// </summary>
internal sealed class PromptPolicyOptionsValidator : IValidateOptions<PromptPolicyOptions>
{
    /// <summary>The shortest reload interval accepted (other than zero, which turns reloading off).</summary>
    public static readonly TimeSpan MinimumReloadInterval = TimeSpan.FromSeconds(1);

    /// <summary>The longest reload interval accepted.</summary>
    public static readonly TimeSpan MaximumReloadInterval = TimeSpan.FromDays(1);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PromptPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (PromptPolicySourceLocation.TryParse(options.Source, out var error) is null)
        {
            failures.Add(error!);
        }

        var interval = options.ReloadInterval;
        if (interval != TimeSpan.Zero && (interval < MinimumReloadInterval || interval > MaximumReloadInterval))
        {
            failures.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{PromptPolicyOptions.SectionName}:{nameof(PromptPolicyOptions.ReloadInterval)} must be 00:00:00 (no reloading) or between {MinimumReloadInterval:c} and {MaximumReloadInterval:c}; got {interval:c}."));
        }

        if (!Enum.IsDefined(options.RevealMatches))
        {
            failures.Add($"{PromptPolicyOptions.SectionName}:{nameof(PromptPolicyOptions.RevealMatches)} must be Terms, Category or None; got {options.RevealMatches}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
