namespace DiffusionFunctions.ModelGeneration.Weights;

/// <summary>
/// The distribution a random weight provider draws a parameter from: values with the given mean and standard
/// deviation. Architectures choose these so activations stay finite (fan-in scaled weights, norm gains near one).
/// </summary>
/// <param name="Mean">The centre of the distribution (1 for normalisation gains, 0 otherwise).</param>
/// <param name="StandardDeviation">The spread; 0 gives a constant tensor.</param>
public readonly record struct WeightInit(float Mean, float StandardDeviation)
{
    /// <summary>A weight scaled by its fan-in: standard deviation <c>gain / sqrt(fanIn)</c>.</summary>
    public static WeightInit FanIn(long fanIn, float gain = 1f) => new(0f, gain / MathF.Sqrt(fanIn));

    /// <summary>A bias: small values around zero.</summary>
    public static WeightInit Bias => new(0f, 0.02f);

    /// <summary>A normalisation gain: small values around one.</summary>
    public static WeightInit Gain => new(1f, 0.02f);

    /// <summary>An embedding table entry.</summary>
    public static WeightInit Embedding => new(0f, 0.5f);
}
