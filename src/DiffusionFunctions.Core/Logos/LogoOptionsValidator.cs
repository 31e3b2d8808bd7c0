using DiffusionFunctions.Core.Storage;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Logos;

/// <summary>Checks <see cref="LogoOptions"/> at start-up, naming the setting that is wrong.</summary>
public sealed class LogoOptionsValidator : IValidateOptions<LogoOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, LogoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string S = LogoOptions.SectionName + ":";
        if (!StorageNames.IsValidContainerName(options.RequestsContainer))
        {
            failures.Add($"{S}RequestsContainer '{options.RequestsContainer}' is not a valid blob container name.");
        }

        if (!StorageNames.IsValidQueueName(options.RequestsEventsQueue))
        {
            failures.Add($"{S}RequestsEventsQueue '{options.RequestsEventsQueue}' is not a valid queue name.");
        }

        if (string.IsNullOrWhiteSpace(options.ResultsPrefix) || options.ResultsPrefix.Contains("..", StringComparison.Ordinal) || options.ResultsPrefix.StartsWith('/'))
        {
            failures.Add($"{S}ResultsPrefix must be a relative blob name prefix, got '{options.ResultsPrefix}'.");
        }

        if (options.MaxCount is < 1 or > 100)
        {
            failures.Add($"{S}MaxCount must be between 1 and 100, got {options.MaxCount}.");
        }

        if (options.DefaultCount < 1 || options.DefaultCount > options.MaxCount)
        {
            failures.Add($"{S}DefaultCount must be between 1 and MaxCount ({options.MaxCount}), got {options.DefaultCount}.");
        }

        if (options.MaxBriefBytes is < 256 or > 1024 * 1024)
        {
            failures.Add($"{S}MaxBriefBytes must be between 256 and 1048576, got {options.MaxBriefBytes}.");
        }

        if (!(options.SketchStrength > 0 && options.SketchStrength <= 1))
        {
            failures.Add($"{S}SketchStrength must be greater than 0 and at most 1, got {options.SketchStrength}.");
        }

        if (!string.IsNullOrEmpty(options.TemplatePath) && !File.Exists(options.TemplatePath))
        {
            failures.Add($"{S}TemplatePath '{options.TemplatePath}' does not exist.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
