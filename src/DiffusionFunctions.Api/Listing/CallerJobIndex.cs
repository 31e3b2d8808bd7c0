using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DiffusionFunctions.Core;
using DiffusionFunctions.Core.Storage;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Api.Listing;

/// <summary>
/// Each caller's recent job ids, kept cheap on blob storage: one small JSON blob per caller per UTC day in the jobs
/// container (<c>owners/{sha256(caller)}/{yyyy-MM-dd}.json</c>), appended to with ETag conditions (a lost race re-reads and
/// retries). Listing reads only that caller's day blobs, newest first, and stops when it has enough: never a container scan.
/// </summary>
public sealed class CallerJobIndex(BlobServiceClient blobService, IOptions<DiffusionStorageOptions> storage)
{
    /// <summary>Conditional-write attempts before giving up on one append.</summary>
    public const int MaxAttempts = 10;

    /// <summary>Entries one caller's day blob holds; later jobs of that day are not indexed (the blob stays small).</summary>
    public const int MaxEntriesPerDay = 2000;

    private readonly BlobContainerClient _container = blobService.GetBlobContainerClient(storage.Value.JobsContainer);

    /// <summary>The blob-name prefix of a caller's day blobs.</summary>
    public static string PrefixFor(string caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return "owners/" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(caller))) + "/";
    }

    /// <summary>The day blob holding jobs created at <paramref name="createdAt"/>.</summary>
    public static string BlobNameFor(string caller, DateTimeOffset createdAt)
        => PrefixFor(caller) + createdAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".json";

    /// <summary>Adds a job to its caller's day blob (idempotent: an id already there is not added twice).</summary>
    /// <returns>False when the day blob is full (<see cref="MaxEntriesPerDay"/>).</returns>
    /// <exception cref="IndexContendedException">Every attempt lost a race with another writer.</exception>
    public async Task<bool> AddAsync(string caller, JobIndexEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var blob = _container.GetBlobClient(BlobNameFor(caller, entry.CreatedAt));
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (entries, etag) = await ReadAsync(blob, cancellationToken).ConfigureAwait(false);
            if (entries.Any(e => e.Id == entry.Id))
            {
                return true;
            }

            if (entries.Count >= MaxEntriesPerDay)
            {
                return false;
            }

            entries.Add(entry);
            var conditions = etag is { } match ? new BlobRequestConditions { IfMatch = match } : new BlobRequestConditions { IfNoneMatch = ETag.All };
            try
            {
                await blob.UploadAsync(
                    BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(entries, DiffusionJson.Options)),
                    new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                    cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict)
            {
                // Another submission of the same caller wrote first: read its version and append again.
            }
        }

        throw new IndexContendedException(entry.Id, MaxAttempts);
    }

    /// <summary>The caller's most recent job ids, newest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<JobIndexEntry>> RecentAsync(string caller, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var days = new List<string>();
        await foreach (var item in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, PrefixFor(caller), cancellationToken).ConfigureAwait(false))
        {
            days.Add(item.Name);
        }

        var recent = new List<JobIndexEntry>(limit);
        foreach (var day in days.OrderDescending(StringComparer.Ordinal))
        {
            var (entries, _) = await ReadAsync(_container.GetBlobClient(day), cancellationToken).ConfigureAwait(false);
            recent.AddRange(entries.OrderByDescending(e => e.CreatedAt).Take(limit - recent.Count));
            if (recent.Count == limit)
            {
                break;
            }
        }

        return recent;
    }

    private static async Task<(List<JobIndexEntry> Entries, ETag? ETag)> ReadAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            var content = (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value;
            var entries = JsonSerializer.Deserialize<List<JobIndexEntry>>(content.Content.ToMemory().Span, DiffusionJson.Options) ?? [];
            return (entries, content.Details.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return ([], null);
        }
    }
}
