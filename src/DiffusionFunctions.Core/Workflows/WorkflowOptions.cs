using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Workflows;

/// <summary>Settings shared by every workflow kind (<c>DiffusionFunctions:Workflows</c>); validated at start-up.</summary>
public sealed class WorkflowOptions
{
    /// <summary>The configuration section, relative to the root.</summary>
    public const string SectionName = "DiffusionFunctions:Workflows";

    /// <summary>
    /// The fairness rule: a run has at most this many of its jobs in the generation queue (queued or running) at once;
    /// the rest are held back and released one by one as its jobs finish. A single HTTP job therefore waits behind at
    /// most this many items of each running workflow, however large the batch. Set it near the number of worker
    /// instances one run may use.
    /// </summary>
    public int MaxInFlightPerRun { get; set; } = 4;

    /// <summary>How many job records a run start writes (or reads, to build the manifest) at once.</summary>
    public int StorageConcurrency { get; set; } = 16;

    /// <summary>How many times an ETag-conditional update of a run's state is retried when another writer got there first.</summary>
    public int MaxUpdateAttempts { get; set; } = 50;
}

/// <summary>Validates <see cref="WorkflowOptions"/>; each message names its setting.</summary>
public sealed class WorkflowOptionsValidator : IValidateOptions<WorkflowOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, WorkflowOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string Prefix = WorkflowOptions.SectionName;
        if (options.MaxInFlightPerRun is < 1 or > 1000)
        {
            failures.Add($"{Prefix}:MaxInFlightPerRun must be between 1 and 1000, got {options.MaxInFlightPerRun}.");
        }

        if (options.StorageConcurrency is < 1 or > 256)
        {
            failures.Add($"{Prefix}:StorageConcurrency must be between 1 and 256, got {options.StorageConcurrency}.");
        }

        if (options.MaxUpdateAttempts is < 1 or > 1000)
        {
            failures.Add($"{Prefix}:MaxUpdateAttempts must be between 1 and 1000, got {options.MaxUpdateAttempts}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
