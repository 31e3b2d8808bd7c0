using Azure.Storage.Blobs;

namespace DiffusionFunctions.Core.Policy;

/// <summary>
/// A policy document in a blob, read through the app's <see cref="BlobServiceClient"/> (so the app's credential
/// applies). Its version is the blob's ETag: a check is one HEAD request, and the body is downloaded only when the ETag
/// has changed.
/// </summary>
internal sealed class BlobPromptPolicySource(BlobClient blob) : IPromptPolicySource
{
    /// <inheritdoc />
    public string Description => blob.Uri.ToString();

    /// <inheritdoc />
    public bool CanChange => true;

    /// <inheritdoc />
    public PromptPolicyContent Load()
    {
        var result = blob.DownloadContent().Value;
        return new PromptPolicyContent(result.Content.ToMemory(), result.Details.ETag.ToString());
    }

    /// <inheritdoc />
    public async Task<PromptPolicyContent?> LoadIfChangedAsync(string? knownVersion, CancellationToken cancellationToken)
    {
        var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (properties.Value.ETag.ToString() == knownVersion)
        {
            return null;
        }

        var result = (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value;
        return new PromptPolicyContent(result.Content.ToMemory(), result.Details.ETag.ToString());
    }
}
