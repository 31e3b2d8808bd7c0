using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Storage;

/// <summary>Validates <see cref="DiffusionStorageOptions"/>; every message names the setting it is about.</summary>
public sealed class DiffusionStorageOptionsValidator : IValidateOptions<DiffusionStorageOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DiffusionStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string Prefix = DiffusionStorageOptions.SectionName;
        CheckContainer(failures, $"{Prefix}:JobsContainer", options.JobsContainer);
        CheckContainer(failures, $"{Prefix}:InputsContainer", options.InputsContainer);
        CheckContainer(failures, $"{Prefix}:ResultsContainer", options.ResultsContainer);
        CheckQueue(failures, $"{Prefix}:GenerationQueue", options.GenerationQueue);
        CheckQueue(failures, $"{Prefix}:EventsQueue", options.EventsQueue);
        if (StorageNames.IsValidQueueName(options.GenerationQueue) && !StorageNames.IsValidQueueName(options.PoisonQueue))
        {
            failures.Add($"{Prefix}:GenerationQueue must leave room for the '-poison' suffix (at most 56 characters), got '{options.GenerationQueue}'.");
        }

        if (options.GenerationQueue == options.EventsQueue)
        {
            failures.Add($"{Prefix}:EventsQueue must differ from {Prefix}:GenerationQueue.");
        }

        if (options.ResultUrlLifetime < TimeSpan.FromMinutes(1) || options.ResultUrlLifetime > TimeSpan.FromDays(7))
        {
            failures.Add($"{Prefix}:ResultUrlLifetime must be between 00:01:00 and 7.00:00:00, got '{options.ResultUrlLifetime}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckContainer(List<string> failures, string setting, string? value)
    {
        if (!StorageNames.IsValidContainerName(value))
        {
            failures.Add($"{setting} must be a valid container name (3-63 lowercase letters, digits and single hyphens), got '{value}'.");
        }
    }

    private static void CheckQueue(List<string> failures, string setting, string? value)
    {
        if (!StorageNames.IsValidQueueName(value))
        {
            failures.Add($"{setting} must be a valid queue name (3-63 lowercase letters, digits and single hyphens), got '{value}'.");
        }
    }
}
