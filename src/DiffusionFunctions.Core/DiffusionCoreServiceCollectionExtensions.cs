using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Images;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Queue;
using DiffusionFunctions.Core.Storage;
using DiffusionFunctions.Core.Workflows;
using DiffusionFunctions.Core.Workflows.Batches;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core;

/// <summary>Registers the Core services both function apps (and the tests) use.</summary>
public static class DiffusionCoreServiceCollectionExtensions
{
    /// <summary>
    /// The workflow item validator and the batch item reader: the model selection (<see cref="Routing.IModelSelector"/>;
    /// the API replaces it with its own), that model's field rules and the blocked-term policy
    /// (<see cref="Policy.IPromptPolicy"/>, registered by <c>AddPromptPolicy</c>, which both apps call) for workflow items.
    /// </summary>
    public static IServiceCollection AddWorkflowItemValidation(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<Routing.IModelSelector, Routing.ListedModelSelector>();
        services.TryAddSingleton<WorkflowItemValidator>();
        services.TryAddSingleton<BatchItemReader>();
        return services;
    }

    /// <summary>
    /// Binds and validates the <c>DiffusionFunctions</c> options (failing at start-up with the setting's name),
    /// registers the storage clients through <c>AddAzureClients</c> from <c>AzureWebJobsStorage</c>, the job store,
    /// the idempotency store, the model list (<c>DiffusionFunctions:Models</c>, validated at start-up), the generation queue
    /// client, request validation, the result URL signer, the workflow run store and fan-out
    /// (<c>DiffusionFunctions:Workflows</c>, <c>DiffusionFunctions:Batches</c>), the logo options
    /// (<c>DiffusionFunctions:Logos</c>) and a hosted service that creates missing containers and queues.
    /// </summary>
    public static IServiceCollection AddDiffusionCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<DiffusionStorageOptions>().Bind(configuration.GetSection(DiffusionStorageOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiffusionStorageOptions>, DiffusionStorageOptionsValidator>());
        services.AddOptions<GenerationOptions>().Bind(configuration.GetSection(GenerationOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GenerationOptions>, GenerationOptionsValidator>());
        services.AddOptions<Routing.ModelListOptions>().Bind(configuration.GetSection(Routing.ModelListOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Routing.ModelListOptions>, Routing.ModelListOptionsValidator>());
        services.AddOptions<DiffusionJobsClientOptions>().Bind(configuration.GetSection(DiffusionJobsClientOptions.SectionName));
        services.AddOptions<StorageConnectionOptions>().Configure(o => StorageConnectionOptions.Bind(configuration, o)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageConnectionOptions>, StorageConnectionOptionsValidator>());

        services.AddOptions<WorkflowOptions>().Bind(configuration.GetSection(WorkflowOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkflowOptions>, WorkflowOptionsValidator>());
        services.AddOptions<BatchOptions>().Bind(configuration.GetSection(BatchOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BatchOptions>, BatchOptionsValidator>());
        services.AddOptions<Logos.LogoOptions>().Bind(configuration.GetSection(Logos.LogoOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Logos.LogoOptions>, Logos.LogoOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StorageClientFactory>();
        services.AddAzureClients(clients =>
        {
            clients.AddClient<BlobServiceClient, BlobClientOptions>(
                (options, provider) => provider.GetRequiredService<StorageClientFactory>().CreateBlobServiceClient(options));
            clients.AddClient<QueueServiceClient, QueueClientOptions>(
                (options, provider) => provider.GetRequiredService<StorageClientFactory>().CreateQueueServiceClient(options));
        });

        services.TryAddSingleton<DiffusionJobsClient>();
        services.TryAddSingleton<IdempotencyKeyStore>();
        services.TryAddSingleton<Routing.DeployedModels>();
        services.TryAddSingleton<GenerationQueueClient>();
        services.TryAddSingleton<GenerationRequestValidator>();
        services.TryAddSingleton<InputImageInspector>();
        services.TryAddSingleton<GenerationSubmitter>();
        services.TryAddSingleton<ResultUrlSigner>();
        services.TryAddSingleton<StorageHealthProbe>();
        // Workflows (fan-out on the ordinary job records and generation queue; the worker adds the fan-in).
        services.TryAddSingleton<WorkflowRunStore>();
        services.TryAddSingleton<WorkflowFeeder>();
        services.TryAddSingleton<WorkflowRunStarter>();

        services.TryAddSingleton<StorageResourcesInitializer>();
        services.AddHostedService(provider => provider.GetRequiredService<StorageResourcesInitializer>());
        return services;
    }
}
