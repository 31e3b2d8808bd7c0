using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Queues;
using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Queue;
using DiffusionFunctions.Core.Storage;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker.Processing;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Hosting.Tests.Check;

/// <summary>
/// A job whose every delivery fails transiently, so its message is retried until the host poisons it: before the job is
/// enqueued, another writer takes an infinite lease on the blob its first image must be written to
/// (<c>results/{jobId}/0.png</c>). The worker generates the image and storage refuses the upload (412, lease id
/// missing), a failure the worker rightly retries, since a lease can be released. Nothing in the apps is switched on
/// for this: it is real storage refusing a real write. The job is stored and enqueued the way the API's
/// <see cref="GenerationSubmitter"/> does it (the job id must be known before the worker can see the message, which a
/// submission over HTTP cannot promise).
/// </summary>
public sealed class JobFailingUntilPoisoned : IAsyncDisposable
{
    private readonly BlobLeaseClient _lease;

    private JobFailingUntilPoisoned(string jobId, BlobLeaseClient lease)
    {
        JobId = jobId;
        _lease = lease;
    }

    /// <summary>The job's id.</summary>
    public string JobId { get; }

    /// <summary>Takes the lease, writes the queued job record and enqueues its message.</summary>
    public static async Task<JobFailingUntilPoisoned> EnqueueAsync(AzuriteTestNames storage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var blobService = new BlobServiceClient(storage.ConnectionString);
        var queueService = new QueueServiceClient(storage.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var names = Options.Create(new DiffusionStorageOptions
        {
            JobsContainer = storage.JobsContainer,
            InputsContainer = storage.InputsContainer,
            ResultsContainer = storage.ResultsContainer,
            GenerationQueue = storage.GenerationQueue,
            EventsQueue = storage.EventsQueue,
        });

        var jobId = JobIds.New();
        var resultBlob = blobService.GetBlobContainerClient(storage.ResultsContainer).GetBlobClient(ResultBlobWriter.BlobNameFor(jobId, 0));
        await resultBlob.UploadAsync(BinaryData.FromString("held under a lease by another writer"), cancellationToken);
        var lease = resultBlob.GetBlobLeaseClient();
        await lease.AcquireAsync(BlobLeaseClient.InfiniteLeaseDuration, cancellationToken: cancellationToken);

        var parameters = new GenerationParameters
        {
            Prompt = "a green square on a white background",
            Width = 64,
            Height = 64,
            Steps = 2,
            GuidanceScale = 2.5,
            Seed = 7,
            Count = 1,
            Mode = GenerationMode.TextToImage,
        };
        var jobs = new DiffusionJobsClient(blobService, names, Options.Create(new DiffusionJobsClientOptions()), TimeProvider.System);
        await jobs.CreateAsync(JobRecord.CreateQueued(jobId, parameters, DateTimeOffset.UtcNow), cancellationToken);
        await new GenerationQueueClient(queueService, names).SendAsync(GenerationQueueMessage.For(jobId, storage.JobsContainer), cancellationToken);
        return new JobFailingUntilPoisoned(jobId, lease);
    }

    /// <summary>Releases the lease (the blob stays: it is the run's, and goes with its containers).</summary>
    public async ValueTask DisposeAsync() => await _lease.ReleaseAsync();
}
