using DiffusionFunctions.Worker.Webhooks;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Events;

/// <summary>Validates <see cref="GenerationEventOptions"/> at start-up, naming the setting that is wrong.</summary>
internal sealed class GenerationEventOptionsValidator : IValidateOptions<GenerationEventOptions>
{
    public ValidateOptionsResult Validate(string? name, GenerationEventOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string prefix = GenerationEventOptions.SectionName + ":";
        var failures = new List<string>();
        if (options.TopicEndpoint is { } endpoint && !endpoint.IsAbsoluteUri)
        {
            failures.Add($"{prefix}{nameof(GenerationEventOptions.TopicEndpoint)} must be an absolute URL.");
        }

        if (options.TopicEndpoint is null && !string.IsNullOrEmpty(options.TopicKey))
        {
            failures.Add($"{prefix}{nameof(GenerationEventOptions.TopicKey)} is set but {prefix}{nameof(GenerationEventOptions.TopicEndpoint)} is not.");
        }

        if (!string.IsNullOrEmpty(options.WebhookSecret) && !WebhookSecret.TryParse(options.WebhookSecret, out _, out var error))
        {
            failures.Add($"{prefix}{nameof(GenerationEventOptions.WebhookSecret)}: {error}");
        }

        if (options.WebhookMaxAttempts is < 1 or > 20)
        {
            failures.Add($"{prefix}{nameof(GenerationEventOptions.WebhookMaxAttempts)} must be between 1 and 20, not {options.WebhookMaxAttempts}.");
        }

        if (options.WebhookInitialBackoff < TimeSpan.Zero || options.WebhookInitialBackoff > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{prefix}{nameof(GenerationEventOptions.WebhookInitialBackoff)} must be between 00:00:00 and 00:01:00, not {options.WebhookInitialBackoff}.");
        }

        if (options.WebhookTimeout <= TimeSpan.Zero || options.WebhookTimeout > TimeSpan.FromMinutes(2))
        {
            failures.Add($"{prefix}{nameof(GenerationEventOptions.WebhookTimeout)} must be more than 0 and at most 00:02:00, not {options.WebhookTimeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
