using DiffusionFunctions.Core.Generation;

namespace DiffusionFunctions.Core.Routing;

/// <summary>
/// A model the deployment serves, resolved from <see cref="ModelListOptions"/>: its queue and the request rules the API
/// enforces for it. The single model of a deployment without a list has no <see cref="Name"/>.
/// </summary>
public sealed record DeployedModel
{
    /// <summary>The name jobs give in <c>model</c>; null for the one model of a deployment with no list.</summary>
    public string? Name { get; init; }

    /// <summary>The queue its jobs go to (its worker app's <c>DiffusionFunctions:Storage:GenerationQueue</c>).</summary>
    public required string Queue { get; init; }

    /// <summary>Where the API reads its description (<see cref="ModelEntryOptions.Path"/>); null when unset.</summary>
    public string? Path { get; init; }

    /// <summary>The family, if configured.</summary>
    public string? Family { get; init; }

    /// <summary>Whether a job that names no model runs on this one.</summary>
    public required bool IsDefault { get; init; }

    /// <summary>The ranges and pinned defaults requests for this model are validated against.</summary>
    public required GenerationOptions Generation { get; init; }

    /// <summary>The modes it accepts.</summary>
    public required IReadOnlyList<GenerationMode> Modes { get; init; }
}
