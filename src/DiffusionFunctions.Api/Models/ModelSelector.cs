using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Routing;
using Microsoft.Extensions.Logging;

namespace DiffusionFunctions.Api.Models;

/// <summary>
/// Picks the model a submission runs on from its <c>model</c> field: a listed model by name (case-insensitive), the
/// default model when the field is absent. Without a model list the deployment serves one model, and a request may name
/// it as <c>GET /api/models</c> does.
/// </summary>
public sealed class ModelSelector(DeployedModels models, ModelCatalog catalog, ILogger<ModelSelector> logger)
{
    /// <summary>The model, or null with <paramref name="error"/> and the names the deployment serves (<paramref name="known"/>).</summary>
    public DeployedModel? Select(string? requested, out string? error, out IReadOnlyList<string> known)
    {
        error = null;
        known = [];
        if (requested is null)
        {
            return models.Default;
        }

        if (models.IsListed)
        {
            if (models.Find(requested) is { } listed)
            {
                return listed;
            }

            known = models.Names;
        }
        else
        {
            known = DescribedNames();
            if (known.Contains(requested, StringComparer.OrdinalIgnoreCase))
            {
                return models.Default;
            }
        }

        error = known.Count == 0
            ? "This deployment serves one model and publishes no name for it; omit model."
            : $"model '{ValidationErrors.Quote(requested)}' is unknown; this deployment serves: {string.Join(", ", known)}.";
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
