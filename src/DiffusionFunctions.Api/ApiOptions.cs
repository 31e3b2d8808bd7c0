using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Api;

/// <summary>HTTP-level settings of the API. Bound from <c>DiffusionFunctions:Api</c>; validated at start-up.</summary>
public sealed class ApiOptions
{
    /// <summary>The configuration section, relative to the root.</summary>
    public const string SectionName = "DiffusionFunctions:Api";

    /// <summary>Largest request body accepted by <c>POST /api/generations</c>, in bytes (base64 images included).</summary>
    public int MaxRequestBytes { get; set; } = 12 * 1024 * 1024;

    /// <summary>The <c>Retry-After</c> (seconds) sent with 202 Accepted: how long clients should wait before polling.</summary>
    public int RetryAfterSeconds { get; set; } = 2;

    /// <summary>
    /// The longest <c>Prefer: wait=N</c> the API honours, in seconds (0 turns the feature off). Larger values are capped.
    /// Keep it under the host's HTTP timeout (230 s on Azure's front ends).
    /// </summary>
    public int MaxWaitSeconds { get; set; } = 60;

    /// <summary>The longest gap between two reads of the job record while a <c>Prefer: wait</c> request is held, in milliseconds.</summary>
    public int WaitPollIntervalMilliseconds { get; set; } = 500;
}

/// <summary>Validates <see cref="ApiOptions"/>; every message names the setting.</summary>
public sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxRequestBytes is < 1024 or > 100 * 1024 * 1024)
        {
            failures.Add($"{ApiOptions.SectionName}:MaxRequestBytes must be between 1024 and 104857600, got {options.MaxRequestBytes}.");
        }

        if (options.RetryAfterSeconds is < 1 or > 3600)
        {
            failures.Add($"{ApiOptions.SectionName}:RetryAfterSeconds must be between 1 and 3600, got {options.RetryAfterSeconds}.");
        }

        if (options.MaxWaitSeconds is < 0 or > 230)
        {
            failures.Add($"{ApiOptions.SectionName}:MaxWaitSeconds must be between 0 and 230, got {options.MaxWaitSeconds}.");
        }

        if (options.WaitPollIntervalMilliseconds is < 10 or > 10_000)
        {
            failures.Add($"{ApiOptions.SectionName}:WaitPollIntervalMilliseconds must be between 10 and 10000, got {options.WaitPollIntervalMilliseconds}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
