using DiffusionFunctions.Core.Generation;

namespace DiffusionFunctions.Api.Models;

/// <summary>What a model folder's JSON files say about generation (read by <see cref="ModelFolderReader"/>).</summary>
public sealed record ModelFolderFacts
{
    /// <summary><c>_name_or_path</c> from <c>model_index.json</c>, else the folder's name (as the worker records in jobs).</summary>
    public required string Name { get; init; }

    /// <summary>The pipeline class (<c>_class_name</c> in <c>model_index.json</c>), if given.</summary>
    public string? Pipeline { get; init; }

    /// <summary>Default width and height: UNet <c>sample_size</c> × the VAE's scale factor.</summary>
    public required int DefaultSize { get; init; }

    /// <summary><c>guidance_scale</c> from <c>generation_config.json</c>, else 7.5.</summary>
    public required double DefaultGuidanceScale { get; init; }

    /// <summary><c>num_inference_steps</c> from <c>generation_config.json</c> (Turbo and LCM folders: a few), else 25.</summary>
    public int DefaultSteps { get; init; } = EngineDefaults.Steps;

    /// <summary>The API name of the folder's own scheduler.</summary>
    public required string DefaultScheduler { get; init; }

    /// <summary>The words the model knows (<c>vocabulary.json</c>), or null when the folder publishes none.</summary>
    public IReadOnlyList<string>? Vocabulary { get; init; }
}
