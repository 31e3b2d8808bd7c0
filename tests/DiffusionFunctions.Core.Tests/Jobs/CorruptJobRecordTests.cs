using System.Text.Json;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace DiffusionFunctions.Core.Tests.Jobs;

/// <summary>
/// A job record blob that is not a readable record of its job makes every read and update throw one deliberate
/// exception, <see cref="JobRecordUnreadableException"/> (a <see cref="JsonException"/>), whatever is wrong with it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CorruptJobRecordTests(AzuriteFixture azurite)
{
    public static TheoryData<string, string> CorruptRecords => new()
    {
        { "not json at all", "not JSON" },
        { "{\"id\":", "truncated JSON" },
        { "null", "JSON null" },
        { "[]", "an array" },
        { "{}", "an object without the required members" },
        { "{\"id\":\"ID\",\"status\":\"queued\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":\"2026-01-01T00:00:00Z\",\"parameters\":null}", "null parameters" },
        { "{\"id\":\"ID\",\"status\":\"exploded\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":\"2026-01-01T00:00:00Z\",\"parameters\":{}}", "an unknown status" },
        { "{\"id\":\"0123456789abcdef0123456789abcdef\",\"status\":\"queued\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":\"2026-01-01T00:00:00Z\",\"parameters\":{}}", "another job's id" },
    };

    [Theory]
    [MemberData(nameof(CorruptRecords))]
    public async Task Reads_and_updates_of_a_corrupt_record_throw_JobRecordUnreadableException(string content, string why)
    {
        var (services, names) = await CoreTestServices.StartAsync(azurite);
        await using var _ = services;
        var jobs = services.GetRequiredService<DiffusionJobsClient>();
        var jobId = JobIds.New();
        await azurite.BlobService.GetBlobContainerClient(names.JobsContainer).GetBlobClient(DiffusionJobsClient.BlobNameFor(jobId))
            .UploadAsync(BinaryData.FromString(content.Replace("\"ID\"", $"\"{jobId}\"", StringComparison.Ordinal)));

        var read = await Assert.ThrowsAsync<JobRecordUnreadableException>(() => jobs.GetAsync(jobId));
        var update = await Assert.ThrowsAsync<JobRecordUnreadableException>(() => jobs.RequestCancellationAsync(jobId));

        Assert.Equal(jobId, read.JobId);
        Assert.Equal(jobId, update.JobId);
        Assert.IsAssignableFrom<JsonException>(read);
        Assert.Contains(jobId, read.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(why));
    }
}
