namespace DiffusionFunctions.Api.Models;

/// <summary>
/// Where the API reads the description of the model the deployment serves (<c>GET /api/models</c>, prompt-word warnings).
/// Bound from <c>DiffusionFunctions:Model</c>. The API reads only the folder's small JSON files (<c>model_index.json</c>,
/// <c>unet/config.json</c>, <c>vae_decoder/config.json</c>, <c>generation_config.json</c>,
/// <c>scheduler/scheduler_config.json</c>, <c>vocabulary.json</c>), never its ONNX files.
/// </summary>
public sealed class ModelDescriptionOptions
{
    /// <summary>The configuration section, relative to the root.</summary>
    public const string SectionName = "DiffusionFunctions:Model";

    /// <summary>
    /// The model folder (absolute, or relative to the current directory or the application directory). Unset: the worker's
    /// <c>DiffusionFunctions:Worker:ModelPath</c> when the same settings carry it (local runs), else the shipped
    /// <c>models/tiny-shapes</c> beside the application (its JSON files are copied there at build), as the worker defaults to it.
    /// </summary>
    public string? Path { get; set; }

    /// <summary>
    /// Describe the model at all (default true). Off, <c>GET /api/models</c> lists none and submits get no vocabulary
    /// warnings: for a deployment whose worker serves a model the API has no description of (the cloud template turns it
    /// off when the worker fetches its own model). A deployment with a model list (<c>DiffusionFunctions:Models</c>) describes
    /// its models from that list whatever this says.
    /// </summary>
    public bool Publish { get; set; } = true;
}
