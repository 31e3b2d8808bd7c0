using System.Globalization;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DiffusionFunctions.Core.Storage;
using DiffusionFunctions.Core.Telemetry;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Processing;

/// <summary>
/// Writes a job's PNGs to the results container at deterministic names, <c>{jobId}/{index}.png</c>, so a retried job
/// overwrites its earlier images instead of adding a second set. Each blob gets <c>Content-Type: image/png</c>, a
/// Cache-Control header and metadata <c>jobId</c>, <c>seed</c>, <c>index</c>.
/// </summary>
public class ResultBlobWriter
{
    private readonly BlobContainerClient _results;
    private readonly string _cacheControl;

    /// <summary>Creates the writer for the results container named in <paramref name="storage"/>.</summary>
    public ResultBlobWriter(BlobServiceClient blobService, IOptions<DiffusionStorageOptions> storage, IOptions<WorkerOptions> worker)
    {
        ArgumentNullException.ThrowIfNull(blobService);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(worker);
        _results = blobService.GetBlobContainerClient(storage.Value.ResultsContainer);
        _cacheControl = worker.Value.ResultCacheControl;
    }

    /// <summary>The blob name of image <paramref name="index"/> of a job.</summary>
    public static string BlobNameFor(string jobId, int index) => string.Create(CultureInfo.InvariantCulture, $"{jobId}/{index}.png");

    /// <summary>Uploads the images (overwriting) and returns their blob names in index order.</summary>
    public virtual async Task<IReadOnlyList<string>> WriteAsync(
        string jobId, long seed, IReadOnlyList<GeneratedImage> images, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var activity = DiffusionTelemetry.Source.StartActivity("results.upload")?
            .SetTag(DiffusionTelemetry.JobIdTag, jobId).SetTag("diffusion.images", images.Count);
        var names = new List<string>(images.Count);
        foreach (var image in images.OrderBy(i => i.Index))
        {
            var name = BlobNameFor(jobId, image.Index);
            await _results.GetBlobClient(name).UploadAsync(
                new BinaryData(image.Png),
                new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = "image/png", CacheControl = _cacheControl },
                    Metadata = new Dictionary<string, string>
                    {
                        ["jobId"] = jobId,
                        ["seed"] = seed.ToString(CultureInfo.InvariantCulture),
                        ["index"] = image.Index.ToString(CultureInfo.InvariantCulture),
                    },
                },
                cancellationToken).ConfigureAwait(false);
            names.Add(name);
        }

        return names;
    }
}
