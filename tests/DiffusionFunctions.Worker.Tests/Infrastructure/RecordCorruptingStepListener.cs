using Azure.Storage.Blobs;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Worker.Processing;

namespace DiffusionFunctions.Worker.Tests.Infrastructure;

/// <summary>
/// Failure injection: when the named job's pipeline reaches <paramref name="atStep"/> (the first time), overwrites its job
/// record with text that is not a job, as a bad write or a hand edit would, so the rest of the job meets a corrupt record.
/// </summary>
internal sealed class RecordCorruptingStepListener(BlobContainerClient jobsContainer, int atStep) : IGenerationStepListener
{
    public const string CorruptText = "{\"id\": \"truncated";

    private int _used;

    /// <summary>The job to corrupt (set before it runs).</summary>
    public string? JobId { get; set; }

    public void OnStep(string jobId, int step, int totalSteps, CancellationToken jobCancellation)
    {
        if (jobId == JobId && step == atStep && Interlocked.Exchange(ref _used, 1) == 0)
        {
            jobsContainer.GetBlobClient(DiffusionJobsClient.BlobNameFor(jobId)).Upload(BinaryData.FromString(CorruptText), overwrite: true, jobCancellation);
        }
    }
}
