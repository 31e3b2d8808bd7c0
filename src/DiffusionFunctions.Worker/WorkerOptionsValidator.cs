using DiffusionFunctions.Diffusion.Onnx;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker;

/// <summary>Validates <see cref="WorkerOptions"/> at start-up, naming the setting that is wrong.</summary>
internal sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string prefix = WorkerOptions.SectionName + ":";
        if (string.IsNullOrWhiteSpace(options.ModelPath))
        {
            failures.Add($"{prefix}{nameof(WorkerOptions.ModelPath)} is required: the model folder to load (models/tiny-shapes for the shipped model, or for example models/sd15-onnx).");
        }
        else if (!File.Exists(Path.Combine(ShippedModel.ResolveConfiguredPath(options.ModelPath), "model_index.json")))
        {
            failures.Add($"{prefix}{nameof(WorkerOptions.ModelPath)} '{options.ModelPath}' has no model_index.json (looked from the current directory and from {AppContext.BaseDirectory}); it must be a diffusers / Optimum ONNX model folder.");
        }

        if (options.ModelName is { Length: > 0 } modelName && !Core.Routing.ModelListOptionsValidator.IsValidName(modelName))
        {
            failures.Add($"{prefix}{nameof(WorkerOptions.ModelName)} '{modelName}' must be {Core.Routing.ModelListOptionsValidator.NameRule}, as the API's model list names it.");
        }

        if (options.ProgressInterval <= TimeSpan.Zero || options.ProgressInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{prefix}{nameof(WorkerOptions.ProgressInterval)} must be more than 0 and at most 00:05:00, not {options.ProgressInterval}.");
        }

        if (options.MaxDequeueCount is < 1 or > 100)
        {
            failures.Add($"{prefix}{nameof(WorkerOptions.MaxDequeueCount)} must be between 1 and 100 (as host.json extensions.queues.maxDequeueCount), not {options.MaxDequeueCount}.");
        }

        if (string.IsNullOrWhiteSpace(options.ResultCacheControl))
        {
            failures.Add($"{prefix}{nameof(WorkerOptions.ResultCacheControl)} must not be empty.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
