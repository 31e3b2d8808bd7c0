using DiffusionFunctions.Core.Storage;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Workflows.Batches;

/// <summary>Batch settings (<c>DiffusionFunctions:Batches</c>); validated at start-up.</summary>
public sealed class BatchOptions
{
    /// <summary>The configuration section, relative to the root.</summary>
    public const string SectionName = "DiffusionFunctions:Batches";

    /// <summary>The workflow kind of a batch run.</summary>
    public const string Kind = "batch";

    /// <summary>Most items in one batch (API body or JSONL upload); at most 10,000.</summary>
    public int MaxItems { get; set; } = 1000;

    /// <summary>Largest <c>labels</c> object of one item, in UTF-8 bytes of its JSON.</summary>
    public int MaxLabelBytes { get; set; } = 2048;

    /// <summary>Largest <c>POST /api/batches</c> body, and largest JSONL upload, in bytes.</summary>
    public int MaxRequestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>The container a JSONL upload to starts a batch.</summary>
    public string RequestsContainer { get; set; } = "batch-requests";

    /// <summary>The queue the container's <c>BlobCreated</c> events arrive on (Event Grid schema; the local run enqueues the same).</summary>
    public string RequestsEventsQueue { get; set; } = "batch-requests-events";
}

/// <summary>Validates <see cref="BatchOptions"/>; each message names its setting.</summary>
public sealed class BatchOptionsValidator : IValidateOptions<BatchOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string Prefix = BatchOptions.SectionName;
        // The run state holds one character per item and is rewritten once per finished item: 10,000 keeps it at 10 KB.
        if (options.MaxItems is < 1 or > 10_000)
        {
            failures.Add($"{Prefix}:MaxItems must be between 1 and 10000, got {options.MaxItems}.");
        }

        if (options.MaxLabelBytes is < 2 or > 65_536)
        {
            failures.Add($"{Prefix}:MaxLabelBytes must be between 2 and 65536, got {options.MaxLabelBytes}.");
        }

        if (options.MaxRequestBytes is < 1024 or > 256 * 1024 * 1024)
        {
            failures.Add($"{Prefix}:MaxRequestBytes must be between 1024 and 268435456, got {options.MaxRequestBytes}.");
        }

        if (!StorageNames.IsValidContainerName(options.RequestsContainer))
        {
            failures.Add($"{Prefix}:RequestsContainer must be a valid container name, got '{options.RequestsContainer}'.");
        }

        if (!StorageNames.IsValidQueueName(options.RequestsEventsQueue))
        {
            failures.Add($"{Prefix}:RequestsEventsQueue must be a valid queue name, got '{options.RequestsEventsQueue}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
