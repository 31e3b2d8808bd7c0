using System.Text.RegularExpressions;
using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Storage;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Routing;

/// <summary>
/// Validates the model list at start-up: names, the default model, each model's queue (valid, distinct, room for its
/// poison queue), its modes, and its ranges and defaults (as <see cref="GenerationOptionsValidator"/> checks the
/// deployment's). Every message names the setting.
/// </summary>
public sealed partial class ModelListOptionsValidator(IOptions<GenerationOptions> generation, IOptions<DiffusionStorageOptions> storage)
    : IValidateOptions<ModelListOptions>
{
    /// <summary>What a model name may look like (it becomes part of queue and app names).</summary>
    public const string NameRule = "1-32 lower-case letters, digits and single hyphens, starting and ending with a letter or digit";

    /// <summary>Whether <paramref name="name"/> is a valid model name.</summary>
    public static bool IsValidName(string? name) => name is { Length: >= 1 and <= 32 } && NamePattern().IsMatch(name) && !name.Contains("--", StringComparison.Ordinal);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ModelListOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string list = ModelListOptions.ModelsSectionName;
        const string defaultSetting = ModelListOptions.SectionName + ":" + nameof(ModelListOptions.DefaultModel);
        if (options.Models.Count == 0)
        {
            if (!string.IsNullOrEmpty(options.DefaultModel))
            {
                failures.Add($"{defaultSetting} is '{options.DefaultModel}' but {list} lists no model; list the models or remove the setting.");
            }

            return Result(failures);
        }

        var names = string.Join(", ", options.Models.Keys.Order(StringComparer.Ordinal));
        if (string.IsNullOrEmpty(options.DefaultModel))
        {
            if (options.Models.Count > 1)
            {
                failures.Add($"{defaultSetting} is required when {list} lists several models ({names}): the model a job that names none runs on.");
            }
        }
        else if (!options.Models.ContainsKey(options.DefaultModel))
        {
            failures.Add($"{defaultSetting} '{options.DefaultModel}' is not one of {list} ({names}).");
        }

        var s = storage.Value;
        var queues = new Dictionary<string, string>(StringComparer.Ordinal);
        var globalValid = GenerationOptionsValidator.Check(generation.Value, GenerationOptions.SectionName).Count == 0;
        foreach (var (model, entry) in options.Models)
        {
            var section = $"{list}:{model}";
            if (!IsValidName(model))
            {
                failures.Add($"{section}: the model name '{model}' must be {NameRule}.");
                continue;
            }

            var queue = string.IsNullOrEmpty(entry.Queue) ? DeployedModels.DefaultQueueName(s.GenerationQueue, model) : entry.Queue;
            if (!StorageNames.IsValidQueueName(queue) || !StorageNames.IsValidQueueName(queue + "-poison"))
            {
                failures.Add($"{section}:Queue '{queue}' must be a valid queue name (3-63 lower-case letters, digits and single hyphens) with room for the '-poison' suffix (at most 56 characters).");
            }
            else if (queues.TryGetValue(queue, out var other))
            {
                failures.Add($"{section}:Queue '{queue}' is also the queue of model '{other}'; each model needs its own queue.");
            }
            else if (queue == s.EventsQueue)
            {
                failures.Add($"{section}:Queue '{queue}' must differ from {DiffusionStorageOptions.SectionName}:EventsQueue.");
            }
            else
            {
                queues[queue] = model;
            }

            if (!ModelModes.TryParse(entry.Modes, out _, out var unknown))
            {
                failures.Add($"{section}:Modes names '{unknown}'; use a comma-separated list of {string.Join(", ", GenerationModeNames.All)}.");
            }

            if (globalValid)
            {
                failures.AddRange(GenerationOptionsValidator.Check(DeployedModels.Effective(generation.Value, entry), section));
            }
        }

        return Result(failures);
    }

    private static ValidateOptionsResult Result(List<string> failures)
        => failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
