using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Jobs;

namespace DiffusionFunctions.Core.Tests.Jobs;

public sealed class JobRecordTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    internal static GenerationParameters Parameters(int steps = 20) => new()
    {
        Prompt = "a lantern", Width = 512, Height = 512, Steps = steps, GuidanceScale = 7.5, Seed = 42, Count = 1, Mode = GenerationMode.TextToImage,
    };

    private static JobRecord Queued() => JobRecord.CreateQueued(JobIds.New(), Parameters(), T0);

    private static JobRecord InState(JobStatus status) => status switch
    {
        JobStatus.Queued => Queued(),
        JobStatus.Running => Queued().Start(T0),
        JobStatus.Succeeded => Queued().Start(T0).Succeed(["x/0.png"], 0, T0),
        JobStatus.Failed => Queued().Fail("engine-error", "boom", T0),
        _ => Queued().Cancel(T0),
    };

    [Fact]
    public void Happy_path_sets_timestamps_progress_and_results()
    {
        var job = Queued().Start(T0.AddSeconds(1)).WithProgress(5, 20, T0.AddSeconds(2)).Succeed(["j/0.png", "j/1.png"], 1, T0.AddSeconds(3), tokensTruncated: 4);

        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal(T0, job.CreatedAt);
        Assert.Equal(T0.AddSeconds(1), job.StartedAt);
        Assert.Equal(T0.AddSeconds(3), job.FinishedAt);
        Assert.Equal(new JobProgress(20, 20), job.Progress);
        Assert.Equal(["j/0.png", "j/1.png"], job.Results);
        Assert.Equal((1, 4, 1), (job.WithheldCount, job.TokensTruncated, job.Attempts));
    }

    [Fact]
    public void Redelivery_restarts_a_running_job_and_counts_the_attempt()
    {
        var job = Queued().Start(T0).WithProgress(7, 20, T0).Start(T0.AddMinutes(1));

        Assert.Equal(2, job.Attempts);
        Assert.Equal(new JobProgress(0, 20), job.Progress);
    }

    public static TheoryData<JobStatus, string> InvalidTransitions => new()
    {
        { JobStatus.Succeeded, "start" }, { JobStatus.Failed, "start" }, { JobStatus.Cancelled, "start" },
        { JobStatus.Queued, "progress" }, { JobStatus.Succeeded, "progress" },
        { JobStatus.Queued, "succeed" }, { JobStatus.Failed, "succeed" }, { JobStatus.Cancelled, "succeed" }, { JobStatus.Succeeded, "succeed" },
        { JobStatus.Succeeded, "fail" }, { JobStatus.Cancelled, "fail" }, { JobStatus.Failed, "fail" },
        { JobStatus.Succeeded, "cancel" }, { JobStatus.Failed, "cancel" }, { JobStatus.Cancelled, "cancel" },
        { JobStatus.Succeeded, "request-cancel" }, { JobStatus.Failed, "request-cancel" },
    };

    [Theory]
    [MemberData(nameof(InvalidTransitions))]
    public void Invalid_transition_is_rejected_naming_the_state(JobStatus from, string action)
    {
        var job = InState(from);

        var error = Assert.Throws<InvalidJobTransitionException>(() => action switch
        {
            "start" => job.Start(T0),
            "progress" => job.WithProgress(1, 20, T0),
            "succeed" => job.Succeed([], 0, T0),
            "fail" => job.Fail("c", "m", T0),
            "cancel" => job.Cancel(T0),
            _ => job.RequestCancellation(T0),
        });

        Assert.Equal(from, error.From);
        Assert.Contains($"is {from.ToWireName()}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancel_request_cancels_queued_flags_running_and_leaves_cancelled_alone()
    {
        var queued = Queued().RequestCancellation(T0);
        var running = Queued().Start(T0).RequestCancellation(T0.AddSeconds(1));
        var cancelled = InState(JobStatus.Cancelled);

        Assert.Equal(JobStatus.Cancelled, queued.Status);
        Assert.Equal((JobStatus.Running, true), (running.Status, running.CancelRequested));
        Assert.Same(cancelled, cancelled.RequestCancellation(T0.AddHours(1)));
        Assert.Same(running, running.RequestCancellation(T0.AddHours(1)));
    }

    [Fact]
    public void Progress_beyond_the_total_is_rejected()
        => Assert.Throws<ArgumentOutOfRangeException>(() => Queued().Start(T0).WithProgress(21, 20, T0));
}
