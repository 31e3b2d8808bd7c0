using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Storage;

/// <summary>
/// Builds the storage service clients from <see cref="StorageConnectionOptions"/>: with the connection string when
/// there is one, otherwise with one shared <see cref="DefaultAzureCredential"/> (user-assigned identity when
/// <c>AzureWebJobsStorage__clientId</c> is set). Used by the <c>AddAzureClients</c> registrations.
/// </summary>
public sealed class StorageClientFactory(IOptions<StorageConnectionOptions> options)
{
    private readonly Lazy<TokenCredential> _credential = new(() => new DefaultAzureCredential(
        new DefaultAzureCredentialOptions { ManagedIdentityClientId = options.Value.ClientId }));

    /// <summary>The blob service client.</summary>
    public BlobServiceClient CreateBlobServiceClient(BlobClientOptions clientOptions)
    {
        var o = options.Value;
        return o.UsesConnectionString
            ? new BlobServiceClient(o.ConnectionString, clientOptions)
            : new BlobServiceClient(o.ResolvedBlobServiceUri!, _credential.Value, clientOptions);
    }

    /// <summary>The queue service client; messages are base64-encoded, as <c>host.json</c> configures the queue trigger.</summary>
    public QueueServiceClient CreateQueueServiceClient(QueueClientOptions clientOptions)
    {
        ArgumentNullException.ThrowIfNull(clientOptions);
        clientOptions.MessageEncoding = QueueMessageEncoding.Base64;
        var o = options.Value;
        return o.UsesConnectionString
            ? new QueueServiceClient(o.ConnectionString, clientOptions)
            : new QueueServiceClient(o.ResolvedQueueServiceUri!, _credential.Value, clientOptions);
    }
}
