using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Storage;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Routing;

/// <summary>
/// The deployment's models (<see cref="ModelListOptions"/>) with their queues and rules; a deployment with no list serves
/// one unnamed model on <c>DiffusionFunctions:Storage:GenerationQueue</c> under <c>DiffusionFunctions:Generation</c>.
/// </summary>
public sealed class DeployedModels(IOptions<ModelListOptions> list, IOptions<GenerationOptions> generation, IOptions<DiffusionStorageOptions> storage)
{
    private readonly Lazy<IReadOnlyList<DeployedModel>> _all = new(() => Build(list.Value, generation.Value, storage.Value));

    /// <summary>Every model, the default first when listed, else in name order.</summary>
    public IReadOnlyList<DeployedModel> All => _all.Value;

    /// <summary>Whether the deployment configures a list (<c>DiffusionFunctions:Models</c>); false: one unnamed model.</summary>
    public bool IsListed => All[0].Name is not null;

    /// <summary>The model a job that names none runs on.</summary>
    public DeployedModel Default => All.First(m => m.IsDefault);

    /// <summary>The listed names, default first (empty without a list).</summary>
    public IReadOnlyList<string> Names => [.. All.Where(m => m.Name is not null).Select(m => m.Name!)];

    /// <summary>The listed model called <paramref name="name"/> (case-insensitive), or null.</summary>
    public DeployedModel? Find(string? name)
        => name is null ? null : All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The queue of the job's model: the named model's, else the default's.</summary>
    public string QueueFor(string? modelName) => (Find(modelName) ?? Default).Queue;

    /// <summary>The default queue name of a listed model: <c>{GenerationQueue}-{name}</c>.</summary>
    public static string DefaultQueueName(string generationQueue, string name) => $"{generationQueue}-{name}";

    /// <summary>Resolves the list; assumes <see cref="ModelListOptionsValidator"/> passed (unknown modes count as all).</summary>
    public static IReadOnlyList<DeployedModel> Build(ModelListOptions list, GenerationOptions generation, DiffusionStorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(generation);
        ArgumentNullException.ThrowIfNull(storage);
        if (list.Models.Count == 0)
        {
            return [new DeployedModel { Queue = storage.GenerationQueue, IsDefault = true, Generation = generation, Modes = ModelModes.All }];
        }

        var defaultName = list.Models.Count == 1 && string.IsNullOrEmpty(list.DefaultModel) ? list.Models.Keys.Single() : list.DefaultModel;
        return [.. list.Models
            .Select(pair => new DeployedModel
            {
                Name = pair.Key,
                Queue = string.IsNullOrEmpty(pair.Value.Queue) ? DefaultQueueName(storage.GenerationQueue, pair.Key) : pair.Value.Queue,
                Path = string.IsNullOrEmpty(pair.Value.Path) ? null : pair.Value.Path,
                Family = string.IsNullOrEmpty(pair.Value.Family) ? null : pair.Value.Family,
                IsDefault = string.Equals(pair.Key, defaultName, StringComparison.OrdinalIgnoreCase),
                Generation = Effective(generation, pair.Value),
                Modes = ModelModes.TryParse(pair.Value.Modes, out var modes, out _) ? modes : ModelModes.All,
            })
            .OrderByDescending(m => m.IsDefault)
            .ThenBy(m => m.Name, StringComparer.Ordinal)];
    }

    /// <summary>The deployment's generation options with the model's own ranges and defaults laid over them.</summary>
    public static GenerationOptions Effective(GenerationOptions generation, ModelEntryOptions entry)
    {
        ArgumentNullException.ThrowIfNull(generation);
        ArgumentNullException.ThrowIfNull(entry);
        var effective = generation.Clone();
        effective.MinSize = entry.MinSize ?? generation.MinSize;
        effective.MaxSize = entry.MaxSize ?? generation.MaxSize;
        effective.MinSteps = entry.MinSteps ?? generation.MinSteps;
        effective.MaxSteps = entry.MaxSteps ?? generation.MaxSteps;
        effective.DefaultWidth = entry.DefaultWidth ?? generation.DefaultWidth;
        effective.DefaultHeight = entry.DefaultHeight ?? generation.DefaultHeight;
        effective.DefaultSteps = entry.DefaultSteps ?? generation.DefaultSteps;
        effective.DefaultGuidanceScale = entry.DefaultGuidanceScale ?? generation.DefaultGuidanceScale;
        effective.DefaultScheduler = string.IsNullOrEmpty(entry.DefaultScheduler) ? generation.DefaultScheduler : entry.DefaultScheduler;
        return effective;
    }
}
