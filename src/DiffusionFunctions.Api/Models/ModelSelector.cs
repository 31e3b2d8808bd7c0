using DiffusionFunctions.Core.Routing;
using Microsoft.Extensions.Logging;

namespace DiffusionFunctions.Api.Models;

/// <summary>
/// Picks the model a submission (or a batch item) runs on from its <c>model</c> field: the list's rule
/// (<see cref="ListedModelSelector"/>: a listed model by name, case-insensitive, the default model when the field is
/// absent). Without a model list the deployment serves one model, and a request may name it as <c>GET /api/models</c> does.
/// </summary>
public sealed class ModelSelector(DeployedModels models, ModelCatalog catalog, ILogger<ModelSelector> logger) : IModelSelector
{
    private readonly ListedModelSelector _listed = new(models);

    /// <inheritdoc />
    public DeployedModel? Select(string? requested, out string? error, out IReadOnlyList<string> known)
    {
        if (requested is null || models.IsListed)
        {
            return _listed.Select(requested, out error, out known);
        }

        known = DescribedNames();
        if (known.Contains(requested, StringComparer.OrdinalIgnoreCase))
        {
            error = null;
            return models.Default;
        }

        error = ListedModelSelector.Unknown(requested, known);
        return null;
    }

    /// <summary>The one served model's name as <c>GET /api/models</c> gives it; none when it cannot be described.</summary>
    private List<string> DescribedNames()
    {
        try
        {
            return [.. catalog.Models.Select(m => m.Name)];
        }
        catch (ModelDescriptionException ex)
        {
            logger.LogWarning(ex, "The served model's description cannot be read; a request naming a model is refused");
            return [];
        }
    }
}
