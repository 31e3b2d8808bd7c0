namespace DiffusionFunctions.Core.Routing;

/// <summary>
/// Picks the model a request runs on from its <c>model</c> field. One rule for every way work comes in: single submits,
/// batch items (<c>POST /api/batches</c>) and JSONL uploads.
/// </summary>
public interface IModelSelector
{
    /// <summary>The model, or null with <paramref name="error"/> and the names the deployment serves (<paramref name="known"/>).</summary>
    DeployedModel? Select(string? requested, out string? error, out IReadOnlyList<string> known);
}
