using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DiffusionFunctions.Core.Storage;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Jobs;

/// <summary>
/// Idempotency records, one blob per key (<c>idempotency/{sha256(key)}.json</c> in the jobs container). A key is
/// claimed with <c>If-None-Match: *</c>, so of two racing requests exactly one creates the record (and the job).
/// </summary>
public class IdempotencyKeyStore
{
    /// <summary>Longest key accepted.</summary>
    public const int MaxKeyLength = 255;

    private readonly BlobContainerClient _container;

    /// <summary>Creates the store over the jobs container.</summary>
    public IdempotencyKeyStore(BlobServiceClient blobService, IOptions<DiffusionStorageOptions> storage)
    {
        ArgumentNullException.ThrowIfNull(blobService);
        ArgumentNullException.ThrowIfNull(storage);
        _container = blobService.GetBlobContainerClient(storage.Value.JobsContainer);
    }

    /// <summary>For mocking.</summary>
    protected IdempotencyKeyStore() => _container = null!;

    /// <summary>True when <paramref name="key"/> is 1-255 printable ASCII characters.</summary>
    public static bool IsValidKey(string? key)
        => key is { Length: > 0 and <= MaxKeyLength } && key.All(c => c is >= '!' and <= '~');

    /// <summary>The blob name holding the record of <paramref name="key"/>.</summary>
    public static string BlobNameFor(string key)
        => "idempotency/" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))) + ".json";

    /// <summary>
    /// Claims <paramref name="record"/>'s key. Returns the stored record: <paramref name="record"/> itself when this
    /// call created it (<see cref="IdempotencyClaim.Claimed"/> true), or the record an earlier request stored.
    /// </summary>
    public virtual async Task<IdempotencyClaim> TryClaimAsync(IdempotencyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var blob = _container.GetBlobClient(BlobNameFor(record.Key));
        try
        {
            await blob.UploadAsync(
                new BinaryData(JsonSerializer.SerializeToUtf8Bytes(record, DiffusionJson.Options)),
                new BlobUploadOptions
                {
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                },
                cancellationToken).ConfigureAwait(false);
            return new IdempotencyClaim(true, record);
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
        {
            var existing = await GetAsync(record.Key, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The idempotency record for key '{record.Key}' vanished while being read.", ex);
            return new IdempotencyClaim(false, existing);
        }
    }

    /// <summary>The record of <paramref name="key"/>, or null.</summary>
    public virtual async Task<IdempotencyRecord?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await _container.GetBlobClient(BlobNameFor(key)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return response.Value.Content.ToObjectFromJson<IdempotencyRecord>(DiffusionJson.Options);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Releases a key whose job could not be created, so a retry can try again.</summary>
    public virtual async Task ReleaseAsync(string key, CancellationToken cancellationToken = default)
        => await _container.GetBlobClient(BlobNameFor(key)).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
}

/// <summary>The outcome of <see cref="IdempotencyKeyStore.TryClaimAsync"/>.</summary>
/// <param name="Claimed">True when this call stored the record.</param>
/// <param name="Record">The stored record (this call's or an earlier one).</param>
public sealed record IdempotencyClaim(bool Claimed, IdempotencyRecord Record);
