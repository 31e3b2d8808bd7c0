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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
