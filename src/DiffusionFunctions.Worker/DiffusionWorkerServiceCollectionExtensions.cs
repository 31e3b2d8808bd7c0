using DiffusionFunctions.Core;
using DiffusionFunctions.Core.Policy;
using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Worker.Engine;
using DiffusionFunctions.Worker.Events;
using DiffusionFunctions.Worker.Processing;
using DiffusionFunctions.Worker.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker;

/// <summary>Registers everything the worker function app needs; <c>Program.cs</c>, the in-process runner and the tests all call this.</summary>
public static class DiffusionWorkerServiceCollectionExtensions
{
    /// <summary>The configuration section of the engine's session options (<see cref="DiffusionEngineOptions"/>).</summary>
    public const string EngineSectionName = "DiffusionFunctions:Engine";

    /// <summary>
    /// Core services (storage clients, job store, result URLs), the prompt policy (re-checked before generating), the
    /// worker and event options (<c>DiffusionFunctions:Worker</c>, <c>DiffusionFunctions:Events</c>, validated at start-up),
    /// the model host (loads the model once at start-up and warms it up), the pipeline adapter, the job processor and the
    /// event publishing (Event Grid or the events queue, plus signed webhooks).
    /// </summary>
    public static IServiceCollection AddDiffusionWorker(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddDiffusionCore(configuration);
        services.AddPromptPolicy(configuration);
        services.AddWorkflowItemValidation();

        services.AddOptions<WorkerOptions>().Bind(configuration.GetSection(WorkerOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>());
        services.AddOptions<GenerationEventOptions>().Bind(configuration.GetSection(GenerationEventOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GenerationEventOptions>, GenerationEventOptionsValidator>());
        services.AddOptions<DiffusionEngineOptions>().Bind(configuration.GetSection(EngineSectionName))
            .Validate(o => { o.Validate(); return true; }).ValidateOnStart();

        services.TryAddSingleton<DiffusionModelHost>();
        services.TryAddSingleton<EngineReadiness>();
        services.AddHostedService<EngineStartup>();
        services.TryAddSingleton<PipelineImageGenerator>();
        services.TryAddSingleton<IImageGenerator>(provider => provider.GetRequiredService<PipelineImageGenerator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModelWarmUp, PipelineImageGenerator>(provider => provider.GetRequiredService<PipelineImageGenerator>()));

        services.TryAddSingleton<ResultBlobWriter>();
        services.TryAddSingleton<WorkerJobNotes>();
        services.TryAddSingleton<WebhookSender>();
        services.AddGenerationEventSink();
        services.TryAddSingleton<GenerationNotifier>();
        services.TryAddSingleton<Workflows.WorkflowNotifier>();
        services.TryAddSingleton<Workflows.WorkflowCompleter>();
        services.TryAddSingleton<Workflows.WorkflowFanIn>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Core.Workflows.IWorkflowManifestWriter, Workflows.BatchManifestWriter>());
        services.TryAddSingleton<Workflows.BatchUploadHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Hosting.IInProcessQueueFunction, Functions.StartBatchFromUploadFunction>());
        services.AddSingleton(
            provider => Workflows.BatchUploadHandler.Trigger(provider.GetRequiredService<IOptions<Core.Workflows.Batches.BatchOptions>>().Value));
        services.TryAddSingleton<GenerationJobProcessor>();
        return services;
    }
}
