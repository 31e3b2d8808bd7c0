using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Routing;

namespace DiffusionFunctions.Api.Models;

/// <summary>
/// The descriptions of the models this deployment serves (<c>GET /api/models</c>), built once. With a model list
/// (<c>DiffusionFunctions:Models</c>) each model is described from its settings and, when it has a <c>Path</c>, its
/// folder's JSON files; without one, the one model is described from the folder <see cref="ModelFolderLocator"/> finds
/// (none when it finds none), combined with the operator's pinned defaults and ranges (<c>DiffusionFunctions:Generation</c>).
/// </summary>
public sealed class ModelCatalog(ModelFolderLocator locator, DeployedModels models)
{
    private readonly Lazy<IReadOnlyList<(DeployedModel Deployed, ModelResource Resource)>> _models =
        new(() => Build(locator, models), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Every described model, the default first.</summary>
    /// <exception cref="ModelDescriptionException">A folder cannot be read.</exception>
    public IReadOnlyList<ModelResource> Models => [.. _models.Value.Select(m => m.Resource)];

    /// <summary>The default model's description, or null when there is none.</summary>
    /// <exception cref="ModelDescriptionException">A folder cannot be read.</exception>
    public ModelResource? Model => _models.Value.FirstOrDefault(m => m.Deployed.IsDefault).Resource;

    /// <summary>The description of <paramref name="model"/>, or null.</summary>
    /// <exception cref="ModelDescriptionException">A folder cannot be read.</exception>
    public ModelResource? Describe(DeployedModel model) => _models.Value.FirstOrDefault(m => ReferenceEquals(m.Deployed, model)).Resource;

    private static List<(DeployedModel, ModelResource)> Build(ModelFolderLocator locator, DeployedModels models)
    {
        if (!models.IsListed)
        {
            var only = models.Default;
            return locator.Locate() is { } folder ? [(only, Describe(only, ModelFolderReader.Read(folder), nameFromFolder: true))] : [];
        }

        return [.. models.All.Select(m => (m, Describe(m, m.Path is { } path ? ModelFolderReader.Read(ModelFolderLocator.Resolve(path)) : null, nameFromFolder: false)))];
    }

    /// <summary>One model: pinned values first, then the folder's (a listed model without a folder pins them all: start-up checks it).</summary>
    private static ModelResource Describe(DeployedModel model, ModelFolderFacts? facts, bool nameFromFolder)
    {
        var o = model.Generation;
        return new ModelResource
        {
            Name = nameFromFolder || model.Name is null ? facts!.Name : model.Name,
            Pipeline = facts?.Pipeline,
            Family = model.Family,
            IsDefault = model.IsDefault,
            Defaults = new ModelDefaultsResource(
                o.DefaultWidth ?? facts?.DefaultSize ?? EngineDefaults.SampleSize * EngineDefaults.VaeScaleFactor,
                o.DefaultHeight ?? facts?.DefaultSize ?? EngineDefaults.SampleSize * EngineDefaults.VaeScaleFactor,
                o.DefaultSteps ?? facts?.DefaultSteps ?? EngineDefaults.Steps,
                o.DefaultGuidanceScale ?? facts?.DefaultGuidanceScale ?? EngineDefaults.GuidanceScale,
                o.PinnedScheduler ?? facts?.DefaultScheduler ?? SchedulerNames.All[0]),
            Limits = new ModelLimitsResource(o.MinSize, o.MaxSize, 8, o.MinSteps, o.MaxSteps, o.MinGuidanceScale, o.MaxGuidanceScale, o.MaxCount),
            Modes = [.. model.Modes.Select(GenerationModeNames.ToName)],
            Schedulers = SchedulerNames.All,
            Vocabulary = facts?.Vocabulary,
        };
    }
}
