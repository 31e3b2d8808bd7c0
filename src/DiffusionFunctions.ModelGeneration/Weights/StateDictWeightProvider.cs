namespace DiffusionFunctions.ModelGeneration.Weights;

/// <summary>
/// Weights from in-memory state dicts, one per component (for example tensors read from a trained checkpoint), keyed by
/// the state-dict names the builders declare (<see cref="StableDiffusionModelGenerator.DescribeParameters"/>). A
/// parameter missing from the dicts comes from <c>fallback</c> when one is given (e.g. random weights for a component
/// that was not trained), otherwise it is an error naming the tensor.
/// </summary>
public sealed class StateDictWeightProvider : IWeightProvider
{
    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, float[]>> components;
    private readonly IWeightProvider? fallback;

    /// <summary>Creates a provider over <paramref name="components"/> (component name → tensor name → values in PyTorch layout).</summary>
    public StateDictWeightProvider(IReadOnlyDictionary<string, IReadOnlyDictionary<string, float[]>> components, IWeightProvider? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(components);
        this.components = components;
        this.fallback = fallback;
    }

    /// <inheritdoc />
    public float[] GetWeights(ParameterSpec parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (components.TryGetValue(parameter.Component, out var tensors) && tensors.TryGetValue(parameter.Name, out var values))
        {
            if (values.LongLength != parameter.ElementCount)
            {
                throw new InvalidOperationException(
                    $"State dict tensor '{parameter.Name}' of {parameter.Component} has {values.LongLength} values; the architecture expects shape [{string.Join(", ", parameter.Shape)}] ({parameter.ElementCount}).");
            }

            return values;
        }

        return fallback?.GetWeights(parameter)
            ?? throw new KeyNotFoundException($"The state dict of {parameter.Component} has no tensor '{parameter.Name}' (shape [{string.Join(", ", parameter.Shape)}]).");
    }
}
