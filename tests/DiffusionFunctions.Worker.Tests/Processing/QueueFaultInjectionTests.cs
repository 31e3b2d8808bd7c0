using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DiffusionFunctions.Core.Storage;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Queue;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker.Functions;
using DiffusionFunctions.Worker.Hosting;
using DiffusionFunctions.Worker.Processing;
using DiffusionFunctions.Worker.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Tests.Processing;

/// <summary>
/// Fault injection for the process that takes work: garbage, non-base64, truncated, oversized and wrong-schema messages on
/// both queues, job records that are corrupt before a delivery or go corrupt in the middle of a job. Every other job of
/// the same run still succeeds, the listener keeps listening, and every bad input ends in its documented terminal state
/// (README, "The worker never stops taking work").
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class QueueFaultInjectionTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Every_bad_message_reaches_its_end_and_the_other_jobs_still_succeed()
    {
        await using var host = await WorkerTestHost.StartAsync(
            azurite,
            new() { ["DiffusionFunctions:Worker:MaxDequeueCount"] = "2" },
            services => services
                .AddSingleton(provider => new RecordCorruptingStepListener(
                    provider.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(
                        provider.GetRequiredService<IOptions<DiffusionStorageOptions>>().Value.JobsContainer),
                    atStep: 2))
                .AddSingleton<IGenerationStepListener>(provider => provider.GetRequiredService<RecordCorruptingStepListener>()));
        var corrupter = host.Services.GetRequiredService<RecordCorruptingStepListener>();
        var raw = azurite.RawQueueService;
        var rawGeneration = raw.GetQueueClient(host.Names.GenerationQueue);
        var rawPoison = raw.GetQueueClient(host.Names.PoisonQueue);
        var jobsContainer = azurite.BlobService.GetBlobContainerClient(host.Names.JobsContainer);

        var first = await host.EnqueueJobAsync(TestJobs.Parameters());

        // Generation queue: one of each kind of bad message.
        var valid = GenerationQueueMessage.For(JobIds.New(), host.Names.JobsContainer).ToJson();
        await host.GenerationQueue.SendMessageAsync("this is not json");                                         // garbage (valid base64)
        await rawGeneration.SendMessageAsync("%%% not base64 at all %%%");                                       // not base64
        await host.GenerationQueue.SendMessageAsync(valid[..(valid.Length / 2)]);                                // truncated JSON
        await host.GenerationQueue.SendMessageAsync(new string('x', 40_000));                                    // oversized for a job message
        await host.GenerationQueue.SendMessageAsync(valid.Replace($"\"schemaVersion\":{GenerationQueueMessage.CurrentSchemaVersion}", "\"schemaVersion\":99", StringComparison.Ordinal)); // wrong schema
        await host.GenerationQueue.SendMessageAsync("""{"schemaVersion":1,"jobId":42}""");                     // wrong types
        await host.GenerationQueue.SendMessageAsync(valid);                                                      // a job that has no record
        // Poison queue: bad messages straight there.
        await rawPoison.SendMessageAsync("%%% poison, not base64 %%%");
        await host.PoisonQueue.SendMessageAsync("poison garbage");
        await host.PoisonQueue.SendMessageAsync(valid);

        // A job whose record is corrupt before its first delivery.
        var corruptBefore = await host.EnqueueJobAsync(TestJobs.Parameters());
        await jobsContainer.GetBlobClient(DiffusionJobsClient.BlobNameFor(corruptBefore))
            .UploadAsync(BinaryData.FromString("not a job record"), overwrite: true);

        // A job whose record goes corrupt at step 2 of 3.
        var corruptMidJob = await host.EnqueueJobAsync(TestJobs.Parameters());
        corrupter.JobId = corruptMidJob;

        var last = await host.EnqueueJobAsync(TestJobs.Parameters());

        var listener = host.CreateListener();
        using var stop = new CancellationTokenSource();
        var running = listener.RunAsync(stop.Token);
        try
        {
            await host.WaitForJobAsync(first, j => j.Status == JobStatus.Succeeded, RunTimeout);
            await host.WaitForJobAsync(last, j => j.Status == JobStatus.Succeeded, RunTimeout);
            await WaitUntilEmptyAsync(host.GenerationQueue, host.PoisonQueue);

            Assert.False(running.IsCompleted, "the listener stopped during the run");
            Assert.Equal(QueueListenerState.Listening, listener.Health.State);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        Assert.Equal(QueueListenerState.Stopped, listener.Health.State);
        // The corrupt records stay as they are, for an operator; reading them is a JobRecordUnreadableException, not a crash.
        var before = await Assert.ThrowsAsync<JobRecordUnreadableException>(() => host.Jobs.GetAsync(corruptBefore));
        Assert.Equal(corruptBefore, before.JobId);
        var midJob = await Assert.ThrowsAsync<JobRecordUnreadableException>(() => host.Jobs.GetAsync(corruptMidJob));
        Assert.Equal(corruptMidJob, midJob.JobId);
        // Events: one per finished good job, none for the bad inputs.
        var subjects = (await host.PeekEventsAsync()).Select(e => e.Subject).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "generations/" + first, "generations/" + last }.Order(StringComparer.Ordinal).ToArray(), subjects);
    }

    [Fact]
    public async Task A_corrupt_record_is_dropped_by_both_queue_functions_instead_of_throwing()
    {
        await using var host = await WorkerTestHost.StartAsync(azurite);
        var jobId = await host.EnqueueJobAsync(TestJobs.Parameters());
        await azurite.BlobService.GetBlobContainerClient(host.Names.JobsContainer).GetBlobClient(DiffusionJobsClient.BlobNameFor(jobId))
            .UploadAsync(BinaryData.FromString("[1, 2, 3]"), overwrite: true);
        var message = await host.ReceiveGenerationAsync();

        var processed = await host.Create<ProcessGenerationFunction>().ProcessGeneration(message, CancellationToken.None);
        var poisoned = await host.Create<GenerationPoisonFunction>().FailPoisonedGeneration(message, CancellationToken.None);

        Assert.Equal(JobProcessingOutcome.Discarded, processed);
        Assert.Equal(JobProcessingOutcome.Discarded, poisoned);
        Assert.Empty(await host.ListResultBlobsAsync());
        Assert.Empty(await host.PeekEventsAsync());
    }

    [Fact]
    public async Task The_listener_reports_failing_while_storage_is_unreachable_and_keeps_trying()
    {
        await using var host = await WorkerTestHost.StartAsync(azurite);
        // The same worker, pointed at a port where nothing listens.
        var unreachable = new Dictionary<string, string?>(host.Names.ToSettings())
        {
            ["AzureWebJobsStorage"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
                + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
                + "BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;",
            ["DiffusionFunctions:Storage:CreateResourcesOnStartup"] = "false",
        };
        var clients = new StorageClientFactory(Options.Create(StorageConnectionOptionsFor(unreachable)));
        var listener = new InProcessQueueListener(
            clients,
            host.Services.GetRequiredService<IOptions<DiffusionStorageOptions>>(),
            host.Services.GetRequiredService<IOptions<WorkerOptions>>(),
            host.Create<ProcessGenerationFunction>(),
            host.Create<GenerationPoisonFunction>(),
            new InProcessQueueListenerOptions { MaxPollingInterval = TimeSpan.FromMilliseconds(50) },
            TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<InProcessQueueListener>.Instance);
        Assert.Equal(QueueListenerState.NotStarted, listener.Health.State);

        using var stop = new CancellationTokenSource();
        var running = listener.RunAsync(stop.Token);
        await listener.FirstPollCompleted.WaitAsync(RunTimeout);

        var health = listener.Health;
        Assert.Equal(QueueListenerState.Failing, health.State);
        Assert.False(health.IsHealthy);
        Assert.NotNull(health.LastError);
        Assert.False(running.IsCompleted, "the listener gave up after a failed poll");
        await stop.CancelAsync();
        await running;
        Assert.Equal(QueueListenerState.Stopped, listener.Health.State);
    }

    private static StorageConnectionOptions StorageConnectionOptionsFor(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new StorageConnectionOptions();
        StorageConnectionOptions.Bind(configuration, options);
        return options;
    }

    private static async Task WaitUntilEmptyAsync(params QueueClient[] queues)
    {
        var deadline = DateTimeOffset.UtcNow + RunTimeout;
        foreach (var queue in queues)
        {
            while ((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
            {
                Assert.True(DateTimeOffset.UtcNow < deadline, $"Queue '{queue.Name}' still holds messages.");
                await Task.Delay(50);
            }
        }
    }
}
