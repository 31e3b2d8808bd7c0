using DiffusionFunctions.Api.Resources;
using DiffusionFunctions.Api.Submission;
using DiffusionFunctions.Core;
using DiffusionFunctions.Core.Policy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Api;

/// <summary>Registers everything the API function app needs; <c>Program.cs</c>, the tests and local runners all call this.</summary>
public static class DiffusionApiServiceCollectionExtensions
{
    /// <summary>
    /// Core services (<see cref="DiffusionCoreServiceCollectionExtensions.AddDiffusionCore"/>), the blocked-term
    /// prompt policy (<see cref="PromptPolicyServiceCollectionExtensions.AddPromptPolicy"/>), the API options
    /// (<c>DiffusionFunctions:Api</c>, validated at start-up), the descriptions of the served models
    /// (<c>DiffusionFunctions:Models</c>, else <c>DiffusionFunctions:Model</c>), the model selection, the submission pipeline
    /// and the batch endpoints.
    /// </summary>
    public static IServiceCollection AddDiffusionApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddDiffusionCore(configuration);
        services.AddPromptPolicy(configuration);
        services.AddWorkflowItemValidation();
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>());
        services.AddOptions<Models.ModelDescriptionOptions>().Bind(configuration.GetSection(Models.ModelDescriptionOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Models.ModelDescriptionOptions>, Models.ModelDescriptionOptionsValidator>());
        services.TryAddSingleton<Models.ModelFolderLocator>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Core.Routing.ModelListOptions>, Models.ModelListDescriptionValidator>());
        services.TryAddSingleton<Models.ModelCatalog>();
        services.TryAddSingleton<Models.ModelSelector>();
        // Batch items are judged by the same selection as single submits (the described name of an unlisted model too).
        services.Replace(ServiceDescriptor.Singleton<Core.Routing.IModelSelector>(sp => sp.GetRequiredService<Models.ModelSelector>()));
        services.TryAddSingleton<Listing.CallerJobIndex>();
        services.TryAddSingleton<SubmissionBodyReader>();
        services.TryAddSingleton<GenerationResourceFactory>();
        services.TryAddSingleton<JobCompletionWaiter>();
        services.TryAddSingleton<GenerationSubmissionHandler>();
        services.TryAddSingleton<Batches.BatchResourceFactory>();
        services.TryAddSingleton<Batches.BatchIdempotency>();
        services.TryAddSingleton<Batches.BatchSubmissionHandler>();
        return services;
    }
}
