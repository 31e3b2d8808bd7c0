using System.Text.Json;
using Azure;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace DiffusionFunctions.Core.Tests.Jobs;

[Collection(AzuriteCollection.Name)]
public sealed class DiffusionJobsClientTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Created_job_is_stored_as_camel_case_json_at_its_id_and_read_back()
    {
        var (services, names) = await CoreTestServices.StartAsync(azurite);
        await using var _ = services;
        var jobs = services.GetRequiredService<DiffusionJobsClient>();
        var job = JobRecord.CreateQueued(JobIds.New(), JobRecordTests.Parameters(), DateTimeOffset.UtcNow, "key-1", "abc");

        await jobs.CreateAsync(job);

        Assert.Equal(job, (await jobs.GetAsync(job.Id))! with { Results = job.Results, Warnings = job.Warnings });
        var blob = await azurite.BlobService.GetBlobContainerClient(names.JobsContainer).GetBlobClient($"{job.Id}.json").DownloadContentAsync();
        Assert.Equal("application/json", blob.Value.Details.ContentType);
        using var json = JsonDocument.Parse(blob.Value.Content.ToString());
        Assert.Equal("queued", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("txt2img", json.RootElement.GetProperty("parameters").GetProperty("mode").GetString());
        Assert.Equal(42, json.RootElement.GetProperty("parameters").GetProperty("seed").GetInt64());
    }

    [Fact]
    public async Task Creating_an_existing_id_fails_with_409_and_keeps_the_first()
    {
        var (services, _) = await CoreTestServices.StartAsync(azurite);
        await using var __ = services;
        var jobs = services.GetRequiredService<DiffusionJobsClient>();
        var job = JobRecord.CreateQueued(JobIds.New(), JobRecordTests.Parameters(), DateTimeOffset.UtcNow);
        await jobs.CreateAsync(job);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => jobs.CreateAsync(job with { Parameters = JobRecordTests.Parameters(steps: 99) }));

        Assert.Equal(409, error.Status);
        Assert.Equal(20, (await jobs.GetAsync(job.Id))!.Parameters.Steps);
    }

    [Fact]
    public async Task Concurrent_writers_never_lose_an_update()
    {
        var (services, _) = await CoreTestServices.StartAsync(azurite);
        await using var __ = services;
        var jobs = services.GetRequiredService<DiffusionJobsClient>();
        var job = await jobs.CreateAsync(JobRecord.CreateQueued(JobIds.New(), JobRecordTests.Parameters(), DateTimeOffset.UtcNow));
        await jobs.MarkRunningAsync(job.Id);

        // Two writers append 12 result names each, at the same time; a read-modify-write without the ETag condition
        // would drop some of them.
        async Task Writer(string name)
        {
            for (var i = 0; i < 12; i++)
            {
                var entry = $"{name}-{i}";
                await jobs.UpdateAsync(job.Id, j => j with { Results = [.. j.Results, entry] });
            }
        }

        await Task.WhenAll(Task.Run(() => Writer("a")), Task.Run(() => Writer("b")));

        var results = (await jobs.GetAsync(job.Id))!.Results;
        Assert.Equal(24, results.Count);
        Assert.Equal(
            Enumerable.Range(0, 12).SelectMany(i => new[] { $"a-{i}", $"b-{i}" }).Order(StringComparer.Ordinal),
            results.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Cancel_request_and_progress_racing_both_land()
    {
        var (services, _) = await CoreTestServices.StartAsync(azurite);
        await using var __ = services;
        var jobs = services.GetRequiredService<DiffusionJobsClient>();
        var job = await jobs.CreateAsync(JobRecord.CreateQueued(JobIds.New(), JobRecordTests.Parameters(), DateTimeOffset.UtcNow));
        await jobs.MarkRunningAsync(job.Id);

        await Task.WhenAll(
            Task.Run(() => jobs.ReportProgressAsync(job.Id, 9, 20)),
            Task.Run(() => jobs.RequestCancellationAsync(job.Id)));

        var stored = (await jobs.GetAsync(job.Id))!;
        Assert.True(stored.CancelRequested);
        Assert.Equal(new JobProgress(9, 20), stored.Progress);
    }

    [Fact]
    public async Task Finished_job_never_goes_back_to_running_and_stays_unchanged()
    {
        var (services, _) = await CoreTestServices.StartAsync(azurite);
        await using var __ = services;
        var jobs = services.GetRequiredService<DiffusionJobsClient>();
        var job = await jobs.CreateAsync(JobRecord.CreateQueued(JobIds.New(), JobRecordTests.Parameters(), DateTimeOffset.UtcNow));
        await jobs.MarkRunningAsync(job.Id);
        var succeeded = await jobs.MarkSucceededAsync(job.Id, [$"{job.Id}/0.png"]);

        await Assert.ThrowsAsync<InvalidJobTransitionException>(() => jobs.MarkRunningAsync(job.Id));
        await Assert.ThrowsAsync<InvalidJobTransitionException>(() => jobs.MarkFailedAsync(job.Id, "late", "too late"));

        Assert.Equal(succeeded.UpdatedAt, (await jobs.GetAsync(job.Id))!.UpdatedAt);
        Assert.Equal(JobStatus.Succeeded, (await jobs.GetAsync(job.Id))!.Status);
    }

    [Fact]
    public async Task Engine_warnings_are_stored_with_the_succeeded_job()
    {
        var (services, names) = await CoreTestServices.StartAsync(azurite);
        await using var __ = services;
        var jobs = services.GetRequiredService<DiffusionJobsClient>();
        var job = await jobs.CreateAsync(JobRecord.CreateQueued(JobIds.New(), JobRecordTests.Parameters(), DateTimeOffset.UtcNow));
        await jobs.MarkRunningAsync(job.Id);

        await jobs.MarkSucceededAsync(job.Id, [$"{job.Id}/0.png"], warnings: ["extra networks removed"]);

        Assert.Equal(["extra networks removed"], (await jobs.GetAsync(job.Id))!.Warnings);
        var blob = await azurite.BlobService.GetBlobContainerClient(names.JobsContainer).GetBlobClient($"{job.Id}.json").DownloadContentAsync();
        using var json = JsonDocument.Parse(blob.Value.Content.ToString());
        Assert.Equal("extra networks removed", json.RootElement.GetProperty("warnings")[0].GetString());
    }

    [Fact]
    public async Task Missing_job_reads_as_null_and_updates_throw_not_found()
    {
        var (services, _) = await CoreTestServices.StartAsync(azurite);
        await using var __ = services;
        var jobs = services.GetRequiredService<DiffusionJobsClient>();
        var id = JobIds.New();

        Assert.Null(await jobs.GetAsync(id));
        Assert.Equal(id, (await Assert.ThrowsAsync<JobNotFoundException>(() => jobs.MarkRunningAsync(id))).JobId);
        Assert.Throws<ArgumentException>(() => JobIds.ThrowIfInvalid("../x"));
    }
}
