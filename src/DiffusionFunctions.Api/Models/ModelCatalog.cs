using DiffusionFunctions.Core.Generation;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Api.Models;

/// <summary>
/// The description of the model this deployment serves, read once from its folder's JSON files and combined with the
/// operator's pinned defaults and ranges (<c>DiffusionFunctions:Generation</c>).
/// </summary>
public sealed class ModelCatalog(ModelFolderLocator locator, IOptions<GenerationOptions> generation)
{
    private readonly Lazy<ModelResource?> _model = new(() => Build(locator, generation.Value), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The model, or null when no folder is configured or found.</summary>
    /// <exception cref="ModelDescriptionException">The folder cannot be read.</exception>
    public ModelResource? Model => _model.Value;

    private static ModelResource? Build(ModelFolderLocator locator, GenerationOptions o)
    {
        if (locator.Locate() is not { } folder)
        {
            return null;
        }

        var facts = ModelFolderReader.Read(folder);
        return new ModelResource
        {
            Name = facts.Name,
            Pipeline = facts.Pipeline,
            Defaults = new ModelDefaultsResource(
                o.DefaultWidth ?? facts.DefaultSize,
                o.DefaultHeight ?? facts.DefaultSize,
                o.DefaultSteps ?? EngineDefaults.Steps,
                o.DefaultGuidanceScale ?? facts.DefaultGuidanceScale,
                o.PinnedScheduler ?? facts.DefaultScheduler),
            Limits = new ModelLimitsResource(o.MinSize, o.MaxSize, 8, o.MinSteps, o.MaxSteps, o.MinGuidanceScale, o.MaxGuidanceScale, o.MaxCount),
            Schedulers = SchedulerNames.All,
            Vocabulary = facts.Vocabulary,
        };
    }
}
