using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Policy;

/// <summary>Registers the blocked-term prompt policy.</summary>
public static class PromptPolicyServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IPromptPolicy"/> (a singleton <see cref="ReloadingPromptPolicy"/>) and binds
    /// <see cref="PromptPolicyOptions"/> from the <c>PromptPolicy</c> section, validated at start-up. The policy itself
    /// is also loaded at start-up: a host whose <c>PromptPolicy:Source</c> cannot be read or parsed fails to start with
    /// a <see cref="PromptPolicyLoadException"/>. A blob source is read through the <see cref="BlobServiceClient"/>
    /// registered by the app (<c>AddAzureClients</c>).
    /// </summary>
    public static IServiceCollection AddPromptPolicy(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        var section = configuration.GetSection(PromptPolicyOptions.SectionName);
        services.AddOptions<PromptPolicyOptions>()
            .Configure(options => section.Bind(options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PromptPolicyOptions>, PromptPolicyOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(CreatePolicy);
        services.TryAddSingleton<IPromptPolicy>(sp => sp.GetRequiredService<ReloadingPromptPolicy>());

        // Load the policy when the host starts, not at the first request: resolving the policy from a start-up
        // validation makes a missing or broken policy stop the host with its own message (see PromptPolicyStartupCheck).
        services.AddOptions<PromptPolicyStartupCheck>()
            .Validate<ReloadingPromptPolicy>((_, policy) => policy.Current.Terms.Count > 0, "The prompt policy has no terms.")
            .ValidateOnStart();
        return services;
    }

    private static ReloadingPromptPolicy CreatePolicy(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<PromptPolicyOptions>>().Value;
        var source = CreateSource(options, services);
        return new ReloadingPromptPolicy(
            source,
            options.ReloadInterval,
            services.GetRequiredService<ILogger<ReloadingPromptPolicy>>(),
            services.GetRequiredService<TimeProvider>());
    }

    private static IPromptPolicySource CreateSource(PromptPolicyOptions options, IServiceProvider services)
    {
        var location = PromptPolicySourceLocation.TryParse(options.Source, out var error)
            ?? throw new PromptPolicyLoadException(error!);
        switch (location.Kind)
        {
            case PromptPolicySourceKind.File:
                return new FilePromptPolicySource(location.FilePath!);
            case PromptPolicySourceKind.Blob:
                var client = services.GetService<BlobServiceClient>() ?? throw new PromptPolicyLoadException(
                    $"{PromptPolicyOptions.SectionName}:{nameof(PromptPolicyOptions.Source)} '{location.Value}' names a blob, but no BlobServiceClient is registered (AddAzureClients).");
                if (location.AccountName is { } account && !string.Equals(account, client.AccountName, StringComparison.OrdinalIgnoreCase))
                {
                    throw new PromptPolicyLoadException(
                        $"{PromptPolicyOptions.SectionName}:{nameof(PromptPolicyOptions.Source)} '{location.Value}' is in storage account '{account}', but the app's BlobServiceClient is for '{client.AccountName}'.");
                }

                return new BlobPromptPolicySource(client.GetBlobContainerClient(location.Container).GetBlobClient(location.BlobName));
            default:
                return new EmbeddedPromptPolicySource();
        }
    }
}

/// <summary>
/// A marker options type whose start-up validation resolves the <see cref="ReloadingPromptPolicy"/>, so the policy is
/// loaded (and a bad one stops the host) when the host starts. Core deliberately takes no dependency on
/// Microsoft.Extensions.Hosting, so it uses the host's start-up validation rather than an IHostedService.
/// </summary>
internal sealed class PromptPolicyStartupCheck;
