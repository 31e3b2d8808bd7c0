using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Storage;

/// <summary>Validates <see cref="StorageConnectionOptions"/>: one way to reach storage must be configured.</summary>
public sealed class StorageConnectionOptionsValidator : IValidateOptions<StorageConnectionOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, StorageConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.UsesConnectionString)
        {
            return ValidateOptionsResult.Success;
        }

        if (options.ResolvedBlobServiceUri is null || options.ResolvedQueueServiceUri is null)
        {
            return ValidateOptionsResult.Fail(
                "AzureWebJobsStorage must be set: a connection string (UseDevelopmentStorage=true for Azurite), or "
                + "AzureWebJobsStorage__accountName (or both AzureWebJobsStorage__blobServiceUri and AzureWebJobsStorage__queueServiceUri) "
                + "for identity-based access.");
        }

        return ValidateOptionsResult.Success;
    }
}
