using DiffusionFunctions.ModelGeneration.Weights;
using DiffusionFunctions.Training.Networks;

namespace DiffusionFunctions.Training.Export;

/// <summary>
/// Feeds trained tensors to the ONNX graph builders: each requested parameter is looked up by component and
/// state-dict name, its PyTorch shape checked, and every tensor of every bag must be asked for exactly once
/// (<see cref="EnsureAllUsed"/>), so a network and its graph builder cannot drift apart silently.
/// </summary>
internal sealed class BagWeightProvider : IWeightProvider
{
    private readonly Dictionary<string, ParameterBag> bags;
    private readonly HashSet<string> used = new(StringComparer.Ordinal);

    public BagWeightProvider(IEnumerable<ParameterBag> bags) =>
        this.bags = bags.ToDictionary(b => b.Component, StringComparer.Ordinal);

    public float[] GetWeights(ParameterSpec parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (!bags.TryGetValue(parameter.Component, out var bag) || !bag.Contains(parameter.Name))
        {
            throw new InvalidOperationException($"No trained tensor for {parameter.Component}/{parameter.Name}.");
        }

        var shape = bag[parameter.Name].shape;
        if (!shape.SequenceEqual(parameter.Shape))
        {
            throw new InvalidOperationException(
                $"{parameter.Component}/{parameter.Name}: trained shape [{string.Join(", ", shape)}], graph shape [{string.Join(", ", parameter.Shape)}].");
        }

        used.Add(parameter.Component + "/" + parameter.Name);
        return bag.Values(parameter.Name);
    }

    public void EnsureAllUsed()
    {
        var unused = bags.Values.SelectMany(b => b.Names.Select(n => b.Component + "/" + n)).Where(n => !used.Contains(n)).ToList();
        if (unused.Count > 0)
        {
            throw new InvalidOperationException($"Trained tensors the graphs never asked for: {string.Join(", ", unused.Take(10))}.");
        }
    }
}
