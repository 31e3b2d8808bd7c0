using DiffusionFunctions.Core.Jobs;

namespace DiffusionFunctions.Core.Notifications;

/// <summary>Timings of a finished job.</summary>
/// <param name="CreatedAt">When the API accepted it.</param>
/// <param name="StartedAt">When a worker last started it.</param>
/// <param name="FinishedAt">When it finished.</param>
/// <param name="QueuedSeconds">Seconds between acceptance and start.</param>
/// <param name="RunSeconds">Seconds between start and finish.</param>
public sealed record GenerationTimings(
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, double? QueuedSeconds, double? RunSeconds);

/// <summary>
/// The <c>data</c> of a generation CloudEvent (<see cref="GenerationEventTypes"/>). Result URLs are plain blob URLs,
/// never SAS: receivers with access read them directly, others ask <c>GET /api/generations/{id}</c>.
/// </summary>
public sealed record GenerationEventData
{
    /// <summary>The job id.</summary>
    public required string JobId { get; init; }

    /// <summary>The final status.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>Blob URLs of the images (empty unless succeeded).</summary>
    public IReadOnlyList<string> ResultUrls { get; init; } = [];

    /// <summary>Images the safety checker withheld.</summary>
    public int WithheldCount { get; init; }

    /// <summary>The seed the job used.</summary>
    public long Seed { get; init; }

    /// <summary>Timings.</summary>
    public required GenerationTimings Timings { get; init; }

    /// <summary>The error of a failed job.</summary>
    public JobError? Error { get; init; }

    /// <summary>Builds the event data of a finished <paramref name="job"/>; <paramref name="resultUrl"/> maps a result blob name to its URL.</summary>
    public static GenerationEventData FromJob(JobRecord job, Func<string, Uri> resultUrl)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(resultUrl);
        if (!job.Status.IsFinal())
        {
            throw new ArgumentException($"Job '{job.Id}' is {job.Status.ToWireName()}; events describe finished jobs.", nameof(job));
        }

        return new GenerationEventData
        {
            JobId = job.Id,
            Status = job.Status,
            ResultUrls = [.. job.Results.Select(name => resultUrl(name).AbsoluteUri)],
            WithheldCount = job.WithheldCount,
            Seed = job.Parameters.Seed,
            Error = job.Error,
            Timings = new GenerationTimings(
                job.CreatedAt,
                job.StartedAt,
                job.FinishedAt,
                job.StartedAt is { } s ? (s - job.CreatedAt).TotalSeconds : null,
                job.StartedAt is { } s2 && job.FinishedAt is { } f ? (f - s2).TotalSeconds : null),
        };
    }
}
