namespace DiffusionFunctions.Core.Jobs;

/// <summary>Tuning of <see cref="DiffusionJobsClient"/>. Bound from <c>DiffusionFunctions:Jobs</c>.</summary>
public sealed class DiffusionJobsClientOptions
{
    /// <summary>The configuration section, relative to the root.</summary>
    public const string SectionName = "DiffusionFunctions:Jobs";

    /// <summary>How many times an update re-reads and retries after losing an ETag race (HTTP 412) before giving up.</summary>
    public int MaxUpdateAttempts { get; set; } = 20;
}
