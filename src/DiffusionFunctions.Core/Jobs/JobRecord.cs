using DiffusionFunctions.Core.Generation;

namespace DiffusionFunctions.Core.Jobs;

/// <summary>Step progress of a running job.</summary>
/// <param name="Step">Steps completed so far.</param>
/// <param name="TotalSteps">Steps the job will run.</param>
public sealed record JobProgress(int Step, int TotalSteps);

/// <summary>Why a job failed.</summary>
/// <param name="Code">A stable, machine-readable code (for example <c>invalid-request</c>, <c>engine-error</c>).</param>
/// <param name="Message">A human-readable explanation.</param>
public sealed record JobError(string Code, string Message);

/// <summary>The workflow run a job belongs to (batch, logo run), and its item's index there.</summary>
/// <param name="RunId">The run id.</param>
/// <param name="Index">The item's index in the run.</param>
public sealed record JobWorkflowLink(string RunId, int Index);

/// <summary>
/// The state of one generation job, stored as JSON in the jobs container (<c>{id}.json</c>). Immutable: each
/// transition method checks that the move is allowed and returns a new record; the job store writes it with an ETag
/// condition. Finished jobs (succeeded, failed, cancelled) never change state again.
/// </summary>
public sealed record JobRecord
{
    /// <summary>The job id (see <see cref="JobIds"/>).</summary>
    public required string Id { get; init; }

    /// <summary>Current state.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>When the API accepted the job.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When a worker last started it.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it reached a final state.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>When the record last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The parameters the job runs with (seed included).</summary>
    public required GenerationParameters Parameters { get; init; }

    /// <summary>Step progress while running (and the last value afterwards).</summary>
    public JobProgress? Progress { get; init; }

    /// <summary>Blob names of the generated images in the results container.</summary>
    public IReadOnlyList<string> Results { get; init; } = [];

    /// <summary>SHA-256 (lowercase hex) of each result PNG's bytes, in <see cref="Results"/> order, when the worker recorded them.</summary>
    public IReadOnlyList<string>? ResultSha256 { get; init; }

    /// <summary>Images the safety checker withheld.</summary>
    public int WithheldCount { get; init; }

    /// <summary>Why the job failed.</summary>
    public JobError? Error { get; init; }

    /// <summary>The client asked to cancel a running job; the worker stops between steps.</summary>
    public bool CancelRequested { get; init; }

    /// <summary>How many times a worker has started the job (redeliveries included).</summary>
    public int Attempts { get; init; }

    /// <summary>The <c>Idempotency-Key</c> the job was submitted with, if any.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>SHA-256 (hex) of the request's content, used to recognise a retry of the same request.</summary>
    public string? RequestHash { get; init; }

    /// <summary>Prompt tokens dropped past the text encoder's limit, when the worker reports it.</summary>
    public int? TokensTruncated { get; init; }

    /// <summary>Where the worker ran the job (<c>cuda:0</c>, <c>cpu</c>), set when it starts; the provider actually in use.</summary>
    public string? Device { get; init; }

    /// <summary>The model the worker ran the job with (the model folder's name), set when it starts.</summary>
    public string? Model { get; init; }

    /// <summary>
    /// What the engine could not honour in the request without failing it (for example web UI prompt syntax it does not
    /// support), in words; empty when nothing.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The workflow run this job is an item of; null for a job submitted on its own.</summary>
    public JobWorkflowLink? Workflow { get; init; }

    /// <summary>A new queued job.</summary>
    public static JobRecord CreateQueued(
        string id, GenerationParameters parameters, DateTimeOffset now, string? idempotencyKey = null, string? requestHash = null, JobWorkflowLink? workflow = null)
    {
        JobIds.ThrowIfInvalid(id, nameof(id));
        ArgumentNullException.ThrowIfNull(parameters);
        return new JobRecord
        {
            Id = id,
            Status = JobStatus.Queued,
            CreatedAt = now,
            UpdatedAt = now,
            Parameters = parameters,
            IdempotencyKey = idempotencyKey,
            RequestHash = requestHash,
            Workflow = workflow,
        };
    }

    /// <summary>Queued (or running, on a redelivery after a worker died) → running; progress restarts at 0.</summary>
    public JobRecord Start(DateTimeOffset now)
    {
        Require(Status is JobStatus.Queued or JobStatus.Running, "marked running");
        return this with
        {
            Status = JobStatus.Running,
            StartedAt = now,
            UpdatedAt = now,
            Attempts = Attempts + 1,
            Progress = Parameters.Steps is { } steps ? new JobProgress(0, steps) : null,
        };
    }

    /// <summary>Records step progress of a running job.</summary>
    public JobRecord WithProgress(int step, int totalSteps, DateTimeOffset now)
    {
        Require(Status == JobStatus.Running, "given progress");
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(step, totalSteps);
        return this with { Progress = new JobProgress(step, totalSteps), UpdatedAt = now };
    }

    /// <summary>Running → succeeded with the result blob names (and the engine's warnings, when it has any).</summary>
    public JobRecord Succeed(
        IReadOnlyList<string> results, int withheldCount, DateTimeOffset now, int? tokensTruncated = null, IReadOnlyList<string>? warnings = null,
        IReadOnlyList<string>? resultSha256 = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentOutOfRangeException.ThrowIfNegative(withheldCount);
        Require(Status == JobStatus.Running, "marked succeeded");
        return this with
        {
            Status = JobStatus.Succeeded,
            Results = [.. results],
            ResultSha256 = resultSha256 is null ? null : [.. resultSha256],
            WithheldCount = withheldCount,
            TokensTruncated = tokensTruncated ?? TokensTruncated,
            Warnings = warnings is null ? Warnings : [.. warnings],
            Progress = Progress is null ? null : Progress with { Step = Progress.TotalSteps },
            FinishedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>Queued or running → failed with a code and message.</summary>
    public JobRecord Fail(string code, string message, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        Require(Status is JobStatus.Queued or JobStatus.Running, "marked failed");
        return this with { Status = JobStatus.Failed, Error = new JobError(code, message), FinishedAt = now, UpdatedAt = now };
    }

    /// <summary>Queued or running → cancelled (the worker calls this when it stops on a cancel request).</summary>
    public JobRecord Cancel(DateTimeOffset now)
    {
        Require(Status is JobStatus.Queued or JobStatus.Running, "cancelled");
        return this with { Status = JobStatus.Cancelled, CancelRequested = true, FinishedAt = now, UpdatedAt = now };
    }

    /// <summary>
    /// A client's cancel request: a queued job is cancelled at once, a running one gets <see cref="CancelRequested"/>,
    /// a cancelled one stays as it is (idempotent). A succeeded or failed job cannot be cancelled.
    /// </summary>
    public JobRecord RequestCancellation(DateTimeOffset now) => Status switch
    {
        JobStatus.Queued => Cancel(now),
        JobStatus.Running when CancelRequested => this,
        JobStatus.Running => this with { CancelRequested = true, UpdatedAt = now },
        JobStatus.Cancelled => this,
        _ => throw new InvalidJobTransitionException(Id, Status, "cancelled"),
    };

    private void Require(bool allowed, string action)
    {
        if (!allowed)
        {
            throw new InvalidJobTransitionException(Id, Status, action);
        }
    }
}
