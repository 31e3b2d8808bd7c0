using System.Text.Json;
using DiffusionFunctions.Api.Batches;
using DiffusionFunctions.Api.Functions;
using DiffusionFunctions.Api.Resources;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Notifications;
using DiffusionFunctions.Core.Queue;
using DiffusionFunctions.Core.Storage;
using DiffusionFunctions.Core.Workflows;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker.Hosting;
using DiffusionFunctions.Worker.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using static DiffusionFunctions.Worker.Tests.Workflows.BatchTestKit;

namespace DiffusionFunctions.Worker.Tests.Workflows;

/// <summary>
/// The JSONL upload path (the local BlobCreated message on the batch requests queue, as Event Grid delivers it in the
/// cloud), duplicate deliveries, a crash in the fan-in, and the fairness rule, on Azurite with the shipped model.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class UploadAndRecoveryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_50_line_jsonl_upload_delivered_twice_makes_one_set_of_jobs_a_50_line_manifest_and_one_completion_event()
    {
        await using var host = await StartAsync(azurite);
        var requests = RequestsContainer(host);
        var upload = await requests.GetBlobClient("catalog/spring.jsonl").UploadAsync(BinaryData.FromBytes(Utf8(Jsonl(Enumerable.Range(0, 50).Select(i => Item(i))))));

        // The BlobCreated event, twice: the watcher the local run uses, and a second watcher (a duplicate delivery).
        Assert.Equal(1, await host.Create<BlobUploadWatcher>().ScanOnceAsync(CancellationToken.None));
        Assert.Equal(1, await host.Create<BlobUploadWatcher>().ScanOnceAsync(CancellationToken.None));
        var runId = WorkflowIds.RunIdForUpload("batch", requests.Name, "catalog/spring.jsonl", upload.Value.ETag.ToString());

        await using (RunListener(host))
        {
            var state = await WaitForFinalAsync(host, runId, TimeSpan.FromMinutes(3));
            Assert.Equal(WorkflowRunStatus.Completed, state.Status);
            var lines = await ReadManifestAsync(host, state);
            Assert.Equal(50, lines.Count);
            Assert.Equal(Enumerable.Range(0, 50).Select(Labels), lines.Select(l => JsonSerializer.Serialize(l.GetProperty("labels"))));
            await WaitForQueueEmptyAsync(host);
        }

        var answer = JsonDocument.Parse((await requests.GetBlobClient("catalog/spring.jsonl.accepted.json").DownloadContentAsync()).Value.Content.ToString()).RootElement;
        Assert.Equal(runId, answer.GetProperty("runId").GetString());
        Assert.Equal("/api/batches/" + runId, answer.GetProperty("status").GetString());
        Assert.Equal(50, answer.GetProperty("accepted").GetInt32());
        Assert.Equal(50, await CountJobRecordsAsync(host));
        Assert.Single(await DrainEventsAsync(host), e => e.Type == WorkflowEventTypes.Completed);

        // The same upload's event once more, after the run finished: nothing new.
        Assert.Equal(1, await host.Create<BlobUploadWatcher>().ScanOnceAsync(CancellationToken.None));
        await using (RunListener(host))
        {
            await WaitForQueueEmptyAsync(host);
        }

        Assert.Equal(50, await CountJobRecordsAsync(host));
        Assert.DoesNotContain(await DrainEventsAsync(host), e => e.Type.StartsWith("DiffusionFunctions.Workflow.", StringComparison.Ordinal));
        Assert.Equal("completed", (await GetAsync(host, runId)).Status); // the API shows upload batches too
    }

    [Fact]
    public async Task A_jsonl_upload_with_bad_lines_reports_them_and_one_with_only_bad_lines_fails_with_one_event()
    {
        await using var host = await StartAsync(azurite);
        var requests = RequestsContainer(host);
        await requests.GetBlobClient("mixed.jsonl").UploadAsync(BinaryData.FromBytes(Utf8(Jsonl([Item(0), "not json", "", Item(1, "a nazi star")]))));
        await requests.GetBlobClient("bad.jsonl").UploadAsync(BinaryData.FromBytes(Utf8(Jsonl(["[1,2]", """{"prompt":"a red star","width":65}"""]))));
        await requests.GetBlobClient("empty.jsonl").UploadAsync(BinaryData.FromBytes(Utf8("\n\n")));
        await requests.GetBlobClient("notes.txt").UploadAsync(BinaryData.FromBytes(Utf8("not a batch")));
        Assert.Equal(3, await host.Create<BlobUploadWatcher>().ScanOnceAsync(CancellationToken.None)); // .jsonl only

        await using (RunListener(host))
        {
            await WaitForQueueEmptyAsync(host);
            var mixed = JsonDocument.Parse((await requests.GetBlobClient("mixed.jsonl.accepted.json").DownloadContentAsync()).Value.Content.ToString()).RootElement;
            Assert.Equal(3, mixed.GetProperty("items").GetInt32()); // the blank line is no item
            Assert.Equal(1, mixed.GetProperty("accepted").GetInt32());
            var refused = mixed.GetProperty("refused").EnumerateArray().ToList();
            Assert.Equal("https://diffusionfunctions.dev/problems/malformed-body", refused[0].GetProperty("problem").GetProperty("type").GetString());
            Assert.Equal("https://diffusionfunctions.dev/problems/policy-violation", refused[1].GetProperty("problem").GetProperty("type").GetString());
            await WaitForFinalAsync(host, mixed.GetProperty("runId").GetString()!, TimeSpan.FromMinutes(1));

            var bad = JsonDocument.Parse((await requests.GetBlobClient("bad.jsonl.accepted.json").DownloadContentAsync()).Value.Content.ToString()).RootElement;
            Assert.Equal(0, bad.GetProperty("accepted").GetInt32());
            var badState = await WaitForFinalAsync(host, bad.GetProperty("runId").GetString()!, TimeSpan.FromSeconds(30));
            Assert.Equal(WorkflowRunStatus.Failed, badState.Status);

            var empty = JsonDocument.Parse((await requests.GetBlobClient("empty.jsonl.rejected.json").DownloadContentAsync()).Value.Content.ToString()).RootElement;
            Assert.Equal(400, empty.GetProperty("status").GetInt32());
        }

        var workflowEvents = (await DrainEventsAsync(host)).Where(e => e.Type.StartsWith("DiffusionFunctions.Workflow.", StringComparison.Ordinal)).ToList();
        Assert.Equal([WorkflowEventTypes.Completed, WorkflowEventTypes.Failed], workflowEvents.Select(e => e.Type).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_crash_in_the_fan_in_and_a_duplicate_delivery_still_complete_the_run_once()
    {
        var crashes = new CrashOnceAtCompletion();
        await using var host = await StartAsync(azurite, configure: services => services.Replace(ServiceDescriptor.Singleton<WorkflowRunStore>(p =>
            new CrashingRunStore(crashes, p.GetRequiredService<Azure.Storage.Blobs.BlobServiceClient>(), p.GetRequiredService<IOptions<DiffusionStorageOptions>>(),
                p.GetRequiredService<IOptions<WorkflowOptions>>(), TimeProvider.System))));
        var batch = Assert.IsType<BatchResource>(Assert.IsType<AcceptedResult>(
            await SubmitAsync(host, $$"""{"items":[{{string.Join(",", Enumerable.Range(0, 3).Select(i => Item(i)))}}]}""")).Value);

        await using (RunListener(host))
        {
            var state = await WaitForFinalAsync(host, batch.Id, TimeSpan.FromMinutes(1));
            Assert.Equal(WorkflowRunStatus.Completed, state.Status);
            await WaitForQueueEmptyAsync(host);
        }

        Assert.Equal(1, crashes.Crashed); // the last job's fan-in died once, before the run's final state was written
        var lastJob = await host.Jobs.GetAsync(WorkflowIds.JobIdFor(batch.Id, 2));
        Assert.True(lastJob!.Attempts >= 1);

        // A duplicate of a finished job's message (a redelivery after a crash that lost the delete): nothing new.
        await host.Services.GetRequiredService<GenerationQueueClient>().SendAsync(GenerationQueueMessage.For(WorkflowIds.JobIdFor(batch.Id, 1), host.Names.JobsContainer));
        await using (RunListener(host))
        {
            await WaitForQueueEmptyAsync(host);
        }

        var events = await DrainEventsAsync(host);
        Assert.Single(events, e => e.Type == WorkflowEventTypes.Completed);
        Assert.Equal(3, events.Count(e => e.Type == GenerationEventTypes.Succeeded));
        Assert.Equal(3, (await ReadManifestAsync(host, (await host.Services.GetRequiredService<WorkflowRunStore>().GetStateAsync(batch.Id, CancellationToken.None))!)).Count);
    }

    [Fact]
    public async Task A_single_http_job_submitted_after_a_batch_waits_behind_at_most_max_in_flight_batch_items()
    {
        await using var host = await StartAsync(azurite, new() { ["DiffusionFunctions:Workflows:MaxInFlightPerRun"] = "2" });
        var batch = Assert.IsType<BatchResource>(Assert.IsType<AcceptedResult>(
            await SubmitAsync(host, $$"""{"items":[{{string.Join(",", Enumerable.Range(0, 10).Select(i => Item(i)))}}]}""")).Value);
        var single = await host.CreateApi<SubmitGenerationFunction>().SubmitGeneration(
            HttpRequestBuilder.Post("/api/generations").WithJson("""{"prompt":"a green ring on a black background","width":64,"height":64,"steps":2}""").Build(), CancellationToken.None);
        var singleId = Assert.IsType<GenerationResource>(Assert.IsType<AcceptedResult>(single).Value).Id;

        await using (RunListener(host))
        {
            await WaitForFinalAsync(host, batch.Id, TimeSpan.FromMinutes(2));
            await host.WaitForJobAsync(singleId, j => j.Status.IsFinal(), TimeSpan.FromMinutes(1));
        }

        var singleStarted = (await host.Jobs.GetAsync(singleId))!.StartedAt!.Value;
        var batchStarts = new List<DateTimeOffset>();
        for (var i = 0; i < 10; i++)
        {
            batchStarts.Add((await host.Jobs.GetAsync(WorkflowIds.JobIdFor(batch.Id, i)))!.StartedAt!.Value);
        }

        // All 10 enqueued at once, the single job would have started 11th; with at most 2 in flight it starts 3rd.
        Assert.Equal(2, batchStarts.Count(s => s < singleStarted));
    }

    private static async Task WaitForQueueEmptyAsync(WorkerTestHost host)
    {
        var queues = new[] { host.GenerationQueue, host.Azurite.QueueService.GetQueueClient(Batches(host).RequestsEventsQueue) };
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            var counts = await Task.WhenAll(queues.Select(async q => (await q.GetPropertiesAsync()).Value.ApproximateMessagesCount));
            if (counts.All(c => c == 0))
            {
                return;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, "The queues did not drain within a minute.");
            await Task.Delay(100);
        }
    }

    /// <summary>Counts the simulated crashes.</summary>
    private sealed class CrashOnceAtCompletion
    {
        private int _crashed;

        public int Crashed => Volatile.Read(ref _crashed);

        public bool TryCrash() => Interlocked.Exchange(ref _crashed, 1) == 0;
    }

    /// <summary>The real run store, except that the first write of a run's final status dies before it reaches storage (a worker killed there).</summary>
    private sealed class CrashingRunStore(
        CrashOnceAtCompletion crashes, Azure.Storage.Blobs.BlobServiceClient blobs, IOptions<DiffusionStorageOptions> storage, IOptions<WorkflowOptions> options, TimeProvider time)
        : WorkflowRunStore(blobs, storage, options, time)
    {
        public override Task<(WorkflowRunState State, bool Written)> UpdateStateAsync(
            string runId, Func<WorkflowRunState, WorkflowRunState> mutate, Func<WorkflowRunState, WorkflowRunState, CancellationToken, Task>? beforeWrite, CancellationToken cancellationToken)
            => base.UpdateStateAsync(
                runId,
                current =>
                {
                    var next = mutate(current);
                    return current.Status == WorkflowRunStatus.Running && next.Status != WorkflowRunStatus.Running && crashes.TryCrash()
                        ? throw new IOException("Simulated crash: the worker died before the run's final state was written.")
                        : next;
                },
                beforeWrite,
                cancellationToken);
    }
}
