using Microsoft.Extensions.Configuration;

namespace DiffusionFunctions.Core.Storage;

/// <summary>
/// How the apps reach storage, read from the Functions host's own <c>AzureWebJobsStorage</c> setting so the triggers
/// and the SDK clients use the same account: either a connection string (<c>UseDevelopmentStorage=true</c> on Azurite)
/// or identity-based settings (<c>AzureWebJobsStorage__accountName</c>, or <c>__blobServiceUri</c> and
/// <c>__queueServiceUri</c>; optional <c>__clientId</c> for a user-assigned managed identity).
/// </summary>
public sealed class StorageConnectionOptions
{
    /// <summary>The setting name shared with the Functions host.</summary>
    public const string SettingName = "AzureWebJobsStorage";

    /// <summary>A connection string, when <c>AzureWebJobsStorage</c> holds one.</summary>
    public string? ConnectionString { get; set; }

    /// <summary><c>AzureWebJobsStorage__accountName</c>.</summary>
    public string? AccountName { get; set; }

    /// <summary><c>AzureWebJobsStorage__blobServiceUri</c> (overrides the account name's default endpoint).</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary><c>AzureWebJobsStorage__queueServiceUri</c> (overrides the account name's default endpoint).</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary><c>AzureWebJobsStorage__clientId</c>: the client id of a user-assigned managed identity.</summary>
    public string? ClientId { get; set; }

    /// <summary>True when a connection string is used (shared key; SAS signed with the account key).</summary>
    public bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString);

    /// <summary>The blob endpoint for identity-based access.</summary>
    public Uri? ResolvedBlobServiceUri => BlobServiceUri
        ?? (string.IsNullOrWhiteSpace(AccountName) ? null : new Uri($"https://{AccountName}.blob.core.windows.net"));

    /// <summary>The queue endpoint for identity-based access.</summary>
    public Uri? ResolvedQueueServiceUri => QueueServiceUri
        ?? (string.IsNullOrWhiteSpace(AccountName) ? null : new Uri($"https://{AccountName}.queue.core.windows.net"));

    /// <summary>Reads the options from <paramref name="configuration"/> (<c>AzureWebJobsStorage</c> and its <c>__</c> sub-settings).</summary>
    public static void Bind(IConfiguration configuration, StorageConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var section = configuration.GetSection(SettingName);
        options.ConnectionString = section.Value;
        options.AccountName = section["accountName"];
        options.BlobServiceUri = ParseUri(section["blobServiceUri"]);
        options.QueueServiceUri = ParseUri(section["queueServiceUri"]);
        options.ClientId = section["clientId"];
    }

    private static Uri? ParseUri(string? value)
        => string.IsNullOrWhiteSpace(value) ? null
            : Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri
            : throw new FormatException($"{SettingName} service URI '{value}' is not an absolute URI.");
}
