using System.Text;
using Azure.Messaging;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Notifications;
using DiffusionFunctions.Core.Workflows;
using DiffusionFunctions.Worker.Hosting;
using DiffusionFunctions.Worker.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DiffusionFunctions.Worker.Tests.Logos;

/// <summary>
/// Uploads to a test host's logo-requests container and the BlobCreated event Event Grid would deliver for each (the
/// same message the local run's watcher and <c>dfx logo upload</c> enqueue), plus helpers to drive the worker's queue
/// functions until a condition holds and to read what a run left behind.
/// </summary>
internal static class LogoUploads
{
    public static BlobContainerClient Requests(this WorkerTestHost host) => host.Azurite.BlobService.GetBlobContainerClient(host.Names.LogoRequestsContainer);

    /// <summary>The app's own queue client (base64, as Event Grid and the Functions host use).</summary>
    public static QueueClient LogoEvents(this WorkerTestHost host) => host.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(host.Names.LogoEventsQueue);

    /// <summary>Uploads <paramref name="content"/> as <paramref name="name"/> and enqueues its BlobCreated event.</summary>
    public static async Task<BlobClient> UploadAsync(this WorkerTestHost host, string name, byte[] content, string contentType, bool publish = true)
    {
        var blob = host.Requests().GetBlobClient(name);
        await blob.UploadAsync(new BinaryData(content), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } });
        if (publish)
        {
            await BlobCreatedEventPublisher.PublishAsync(blob, host.LogoEvents(), CancellationToken.None);
        }

        return blob;
    }

    public static Task<BlobClient> UploadBriefAsync(this WorkerTestHost host, string name, string json, bool publish = true)
        => host.UploadAsync(name, Encoding.UTF8.GetBytes(json), "application/json", publish);

    /// <summary>Runs the in-process listener (generation, poison and the logo events queue) until <paramref name="done"/> holds.</summary>
    public static async Task DriveUntilAsync(this WorkerTestHost host, Func<Task<bool>> done, TimeSpan timeout)
    {
        var listener = host.CreateListener();
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!await done())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"The logo run did not reach the expected state within {timeout}.");
            if (!await listener.PollOnceAsync(CancellationToken.None))
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Every workflow CloudEvent in the events queue (job events are there too and are left out).</summary>
    public static async Task<List<CloudEvent>> WorkflowEventsAsync(this WorkerTestHost host)
        => [.. (await host.PeekEventsAsync()).Where(e => e.Type is WorkflowEventTypes.Completed or WorkflowEventTypes.Failed)];

    /// <summary>The data of a workflow event.</summary>
    public static WorkflowEventData Data(CloudEvent e) => e.Data!.ToObjectFromJson<WorkflowEventData>(Core.DiffusionJson.Options)!;

    /// <summary>Every job record in the jobs container (run blobs and idempotency records left out).</summary>
    public static async Task<List<JobRecord>> JobsAsync(this WorkerTestHost host)
    {
        var jobs = new List<JobRecord>();
        await foreach (var blob in host.Azurite.BlobService.GetBlobContainerClient(host.Names.JobsContainer).GetBlobsAsync())
        {
            var id = blob.Name.EndsWith(".json", StringComparison.Ordinal) ? blob.Name[..^5] : null;
            if (JobIds.IsValid(id) && await host.Jobs.GetAsync(id!) is { } job)
            {
                jobs.Add(job);
            }
        }

        return jobs;
    }

    /// <summary>The text of a blob in the results container, or null.</summary>
    public static async Task<BinaryData?> ResultAsync(this WorkerTestHost host, string name)
    {
        var blob = host.ResultsContainer.GetBlobClient(name);
        return await blob.ExistsAsync() ? (await blob.DownloadContentAsync()).Value.Content : null;
    }
}
