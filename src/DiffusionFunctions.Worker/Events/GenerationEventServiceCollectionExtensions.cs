using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Messaging.EventGrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Events;

/// <summary>Chooses the event sink from <see cref="GenerationEventOptions"/>.</summary>
internal static class GenerationEventServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IGenerationEventSink"/>: an <see cref="EventGridEventSink"/> when a topic endpoint is set (key
    /// credential when <c>TopicKey</c> is set, otherwise <see cref="DefaultAzureCredential"/>), else a <see cref="QueueEventSink"/>.
    /// </summary>
    public static IServiceCollection AddGenerationEventSink(this IServiceCollection services)
    {
        services.TryAddSingleton<IGenerationEventSink>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<GenerationEventOptions>>().Value;
            if (options.TopicEndpoint is not { } endpoint)
            {
                return ActivatorUtilities.CreateInstance<QueueEventSink>(provider);
            }

            var client = string.IsNullOrEmpty(options.TopicKey)
                ? new EventGridPublisherClient(endpoint, CreateCredential(options))
                : new EventGridPublisherClient(endpoint, new AzureKeyCredential(options.TopicKey));
            return new EventGridEventSink(client, endpoint);
        });
        return services;
    }

    private static TokenCredential CreateCredential(GenerationEventOptions options)
        => new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = options.ManagedIdentityClientId });
}
