using Azure.Storage.Blobs;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Tests.Infrastructure;

/// <summary>The real job store over Azurite, counting progress writes.</summary>
internal sealed class CountingJobsClient(
    BlobServiceClient blobService,
    IOptions<DiffusionStorageOptions> storage,
    IOptions<DiffusionJobsClientOptions> options,
    TimeProvider time,
    ILogger<DiffusionJobsClient> logger) : DiffusionJobsClient(blobService, storage, options, time, logger)
{
    private int _progressWrites;

    public int ProgressWrites => Volatile.Read(ref _progressWrites);

    public override Task<JobRecord> ReportProgressAsync(string jobId, int step, int totalSteps, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _progressWrites);
        return base.ReportProgressAsync(jobId, step, totalSteps, cancellationToken);
    }
}
