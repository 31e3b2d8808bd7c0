namespace DiffusionFunctions.Core.Routing;

/// <summary>
/// The selection from the model list alone (<see cref="DeployedModels"/>): a listed model by name (case-insensitive), the
/// default model when the field is absent. Without a list the one model has no name here, so a request naming one is
/// refused; the API's selector also accepts the name its <c>GET /api/models</c> describes.
/// </summary>
public sealed class ListedModelSelector(DeployedModels models) : IModelSelector
{
    /// <summary>The message for a named model in a deployment that publishes no name.</summary>
    public const string NoNameMessage = "This deployment serves one model and publishes no name for it; omit model.";

    /// <inheritdoc />
    public DeployedModel? Select(string? requested, out string? error, out IReadOnlyList<string> known)
    {
        error = null;
        known = [];
        if (requested is null)
        {
            return models.Default;
        }

        if (models.Find(requested) is { } listed)
        {
            return listed;
        }

        known = models.Names;
        error = Unknown(requested, known);
        return null;
    }

    /// <summary>Why <paramref name="requested"/> is refused, naming the <paramref name="known"/> models.</summary>
    public static string Unknown(string requested, IReadOnlyList<string> known)
    {
        ArgumentNullException.ThrowIfNull(known);
        return known.Count == 0
            ? NoNameMessage
            : $"model '{Generation.ValidationErrors.Quote(requested)}' is unknown; this deployment serves: {string.Join(", ", known)}.";
    }
}
