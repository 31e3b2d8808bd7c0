using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Routing;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Api.Models;

/// <summary>
/// Fails the API's start-up when a listed model cannot be described: its <c>Path</c> names no readable model folder, or,
/// without a <c>Path</c>, it leaves a default to a folder the API cannot read (what <c>GET /api/models</c> shows must be what
/// the job runs with). The list's own rules are checked by <see cref="ModelListOptionsValidator"/>.
/// </summary>
public sealed class ModelListDescriptionValidator(IOptions<GenerationOptions> generation) : IValidateOptions<ModelListOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ModelListOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (model, entry) in options.Models)
        {
            var section = $"{ModelListOptions.ModelsSectionName}:{model}";
            if (entry.Path is { Length: > 0 } path)
            {
                try
                {
                    ModelFolderReader.Read(ModelFolderLocator.Resolve(path));
                }
                catch (ModelDescriptionException ex)
                {
                    failures.Add($"{section}:Path: {ex.Message}");
                }

                continue;
            }

            var o = DeployedModels.Effective(generation.Value, entry);
            var unpinned = new List<string>();
            if (o.DefaultWidth is null) { unpinned.Add(nameof(ModelEntryOptions.DefaultWidth)); }
            if (o.DefaultHeight is null) { unpinned.Add(nameof(ModelEntryOptions.DefaultHeight)); }
            if (o.DefaultSteps is null) { unpinned.Add(nameof(ModelEntryOptions.DefaultSteps)); }
            if (o.DefaultGuidanceScale is null) { unpinned.Add(nameof(ModelEntryOptions.DefaultGuidanceScale)); }
            if (o.PinnedScheduler is null) { unpinned.Add(nameof(ModelEntryOptions.DefaultScheduler)); }
            if (unpinned.Count > 0)
            {
                failures.Add($"{section} has no Path, so the API cannot read the model's defaults from its folder: set {section}:Path, " +
                    $"or set {string.Join(", ", unpinned.Select(u => $"{section}:{u}"))}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
