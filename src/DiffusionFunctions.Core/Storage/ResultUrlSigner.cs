using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Storage;

/// <summary>
/// Hands out short-lived, read-only URLs for result blobs: a service SAS signed with the account key when the client
/// has one (Azurite, connection strings), otherwise a user-delegation SAS (managed identity; needs the
/// <c>Storage Blob Delegator</c> role). The user-delegation key is cached and renewed before it runs out.
/// </summary>
public class ResultUrlSigner
{
    private readonly BlobServiceClient _blobService;
    private readonly BlobContainerClient _results;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private UserDelegationKey? _key;

    /// <summary>Creates the signer for the results container named in <paramref name="storage"/>.</summary>
    public ResultUrlSigner(BlobServiceClient blobService, IOptions<DiffusionStorageOptions> storage, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _blobService = blobService ?? throw new ArgumentNullException(nameof(blobService));
        _results = blobService.GetBlobContainerClient(storage.Value.ResultsContainer);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _lifetime = storage.Value.ResultUrlLifetime;
    }

    /// <summary>For mocking.</summary>
    protected ResultUrlSigner()
    {
        _blobService = null!;
        _results = null!;
        _time = TimeProvider.System;
    }

    /// <summary>The plain (unsigned) URL of a result blob, as put in events.</summary>
    public virtual Uri GetBlobUri(string blobName) => _results.GetBlobClient(blobName).Uri;

    /// <summary>A read-only URL for a result blob that expires after <see cref="DiffusionStorageOptions.ResultUrlLifetime"/>.</summary>
    public virtual async Task<Uri> GetReadUriAsync(string blobName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        var blob = _results.GetBlobClient(blobName);
        var now = _time.GetUtcNow();
        var sas = new BlobSasBuilder(BlobSasPermissions.Read, now + _lifetime)
        {
            BlobContainerName = _results.Name,
            BlobName = blobName,
            Resource = "b",
            StartsOn = now.AddMinutes(-5),
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };

        if (blob.CanGenerateSasUri)
        {
            return blob.GenerateSasUri(sas);
        }

        var key = await GetUserDelegationKeyAsync(now, cancellationToken).ConfigureAwait(false);
        return new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key, _blobService.AccountName) }.ToUri();
    }

    private async Task<UserDelegationKey> GetUserDelegationKeyAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var needed = now + _lifetime + TimeSpan.FromMinutes(1);
        if (Volatile.Read(ref _key) is { } cached && cached.SignedExpiresOn >= needed)
        {
            return cached;
        }

        // Two callers racing here both fetch a key; either is valid, so no lock is needed.
        var expires = now + _lifetime + TimeSpan.FromHours(1);
        var response = await _blobService.GetUserDelegationKeyAsync(now.AddMinutes(-5), expires, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _key, response.Value);
        return response.Value;
    }
}
