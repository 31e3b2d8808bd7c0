using System.Text;

namespace DiffusionFunctions.ModelGeneration.Weights;

/// <summary>
/// Deterministic random weights: each tensor gets its own SplitMix64 stream seeded from the generator seed, the
/// component and the parameter name, so a tensor's values do not depend on the order tensors are built in. Values are
/// uniform with the mean and standard deviation the architecture asks for (<see cref="WeightInit"/>).
/// </summary>
public sealed class SeededRandomWeightProvider : IWeightProvider
{
    private readonly int seed;

    /// <summary>Creates a provider for <paramref name="seed"/>.</summary>
    public SeededRandomWeightProvider(int seed) => this.seed = seed;

    /// <inheritdoc />
    public float[] GetWeights(ParameterSpec parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        var count = checked((int)parameter.ElementCount);
        var values = new float[count];
        var init = parameter.Init;
        if (init.StandardDeviation == 0f)
        {
            Array.Fill(values, init.Mean);
            return values;
        }

        // Uniform on [-a, a) has standard deviation a / sqrt(3).
        var halfWidth = init.StandardDeviation * MathF.Sqrt(3f);
        var state = Mix(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL) ^ Fnv1a(parameter.Component + "/" + parameter.Name));
        for (var i = 0; i < count; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            var bits = Mix(state);
            // 24 random bits -> [0, 1) exactly representable in float.
            var unit = (bits >> 40) * (1.0f / (1 << 24));
            values[i] = init.Mean + ((unit * 2f) - 1f) * halfWidth;
        }

        return values;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 0x100000001B3UL;
        }

        return hash;
    }
}
