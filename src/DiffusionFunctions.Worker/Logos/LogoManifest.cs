using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Workflows;

namespace DiffusionFunctions.Worker.Logos;

/// <summary>
/// <c>logos/{brief name}/manifest.json</c>: what a logo run made, written once every logo's job has finished.
/// </summary>
public sealed record LogoManifest
{
    /// <summary>The workflow run id.</summary>
    public required string RunId { get; init; }

    /// <summary>The run's final status (<c>completed</c> when at least one logo was made, else <c>failed</c>).</summary>
    public required WorkflowRunStatus Status { get; init; }

    /// <summary>The upload: container, blob name, ETag, kind, sidecar.</summary>
    public required LogoManifestBrief Brief { get; init; }

    /// <summary>Which prompt template made the prompts.</summary>
    public string? Template { get; init; }

    /// <summary>One entry per logo, in index order.</summary>
    public required IReadOnlyList<LogoManifestEntry> Logos { get; init; }

    /// <summary>Why the upload was refused (as in <c>{name}.rejected.json</c>); null for a run that made jobs.</summary>
    public WorkflowItemRefusal? Rejection { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the manifest was written.</summary>
    public required DateTimeOffset FinishedAt { get; init; }
}

/// <summary>The brief a logo run came from.</summary>
/// <param name="Container">The upload's container.</param>
/// <param name="Name">The upload's blob name.</param>
/// <param name="Hash">SHA-256 of the brief's bytes (and the sketch's).</param>
/// <param name="ETag">The upload's ETag (and its sidecar's).</param>
/// <param name="Kind"><c>brief</c> or <c>sketch</c>.</param>
/// <param name="Sidecar">The sidecar brief of a sketch, if one was read.</param>
public sealed record LogoManifestBrief(string Container, string Name, string? Hash, string? ETag, string? Kind, string? Sidecar);

/// <summary>One logo of a manifest.</summary>
public sealed record LogoManifestEntry
{
    /// <summary>0-based index (the file name).</summary>
    public required int Index { get; init; }

    /// <summary>The generation job that drew it (<c>GET /api/generations/{jobId}</c>).</summary>
    public required string JobId { get; init; }

    /// <summary>The job's final status (<c>succeeded</c>, <c>failed</c>, <c>cancelled</c>).</summary>
    public required string Status { get; init; }

    /// <summary>The prompt the template made.</summary>
    public required string Prompt { get; init; }

    /// <summary>The seed.</summary>
    public required long Seed { get; init; }

    /// <summary>Every parameter the job ran with.</summary>
    public required GenerationParameters Parameters { get; init; }

    /// <summary>The logo's blob name in the results container (<c>logos/{brief name}/{index}.png</c>); null when none was made.</summary>
    public string? Blob { get; init; }

    /// <summary>The logo's plain blob URL (read it with your identity, or ask the job for a short-lived signed one).</summary>
    public Uri? Url { get; init; }

    /// <summary>Why the job made no logo (failed, cancelled, or withheld by the safety checker).</summary>
    public string? Error { get; init; }
}
