using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Notifications;
using DiffusionFunctions.Core.Tests.Jobs;

namespace DiffusionFunctions.Core.Tests.Notifications;

public sealed class GenerationEventDataTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Succeeded_job_event_has_blob_urls_and_timings()
    {
        var job = JobRecord.CreateQueued(JobIds.New(), JobRecordTests.Parameters(), T0).Start(T0.AddSeconds(2)).Succeed(["j/0.png"], 1, T0.AddSeconds(7));

        var data = GenerationEventData.FromJob(job, name => new Uri("http://127.0.0.1:10000/devstoreaccount1/results/" + name));

        Assert.Equal(["http://127.0.0.1:10000/devstoreaccount1/results/j/0.png"], data.ResultUrls);
        Assert.Equal((2.0, 5.0), (data.Timings.QueuedSeconds!.Value, data.Timings.RunSeconds!.Value));
        Assert.Equal((JobStatus.Succeeded, 1, 42L), (data.Status, data.WithheldCount, data.Seed));
        Assert.Equal("DiffusionFunctions.Generation.Succeeded", GenerationEventTypes.ForStatus(data.Status));
        Assert.Equal($"generations/{job.Id}", GenerationEventTypes.SubjectFor(job.Id));
    }

    [Fact]
    public void Failed_and_cancelled_map_to_their_event_types_and_running_jobs_have_none()
    {
        var failed = JobRecord.CreateQueued(JobIds.New(), JobRecordTests.Parameters(), T0).Fail("engine-error", "boom", T0);

        Assert.Equal(new JobError("engine-error", "boom"), GenerationEventData.FromJob(failed, n => new Uri("http://x/" + n)).Error);
        Assert.Equal("DiffusionFunctions.Generation.Failed", GenerationEventTypes.ForStatus(JobStatus.Failed));
        Assert.Equal("DiffusionFunctions.Generation.Cancelled", GenerationEventTypes.ForStatus(JobStatus.Cancelled));
        Assert.Throws<ArgumentOutOfRangeException>(() => GenerationEventTypes.ForStatus(JobStatus.Running));
        Assert.Throws<ArgumentException>(() => GenerationEventData.FromJob(failed with { Status = JobStatus.Running }, n => new Uri("http://x/" + n)));
    }
}
