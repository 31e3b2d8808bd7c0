namespace DiffusionFunctions.Diffusion.Tests.Schedulers;

/// <summary>
/// The deterministic inputs of diffusers' scheduler tests (<c>tests/schedulers/test_schedulers.py</c>, <c>SchedulerCommonTest</c>):
/// a 4×3×8×8 sample, a matching noise, and the dummy model <c>sample * t / (t + 1)</c>.
/// </summary>
internal static class DiffusersDummies
{
    public const int Batch = 4;
    public const int Channels = 3;
    public const int Height = 8;
    public const int Width = 8;
    public const int Count = Batch * Channels * Height * Width;

    /// <summary><c>dummy_sample_deter</c>: arange(768) reshaped (3, 8, 8, 4), divided by 768, permuted to (4, 3, 8, 8).</summary>
    public static float[] SampleDeter() => Arange(flip: false);

    /// <summary><c>dummy_noise_deter</c>: the same with arange flipped.</summary>
    public static float[] NoiseDeter() => Arange(flip: true);

    /// <summary><c>dummy_model</c>: <c>sample * t / (t + 1)</c> in float32, t cast to the sample's dtype.</summary>
    public static void Model(ReadOnlySpan<float> sample, float timestep, Span<float> output)
    {
        var t = timestep;
        var denominator = t + 1.0f;
        for (var i = 0; i < sample.Length; i++)
        {
            output[i] = sample[i] * t / denominator;
        }
    }

    /// <summary><c>torch.sum(torch.abs(sample))</c> (accumulated in double here).</summary>
    public static double SumAbs(ReadOnlySpan<float> sample)
    {
        var sum = 0.0;
        foreach (var v in sample)
        {
            sum += Math.Abs(v);
        }

        return sum;
    }

    /// <summary><c>torch.mean(torch.abs(sample))</c>.</summary>
    public static double MeanAbs(ReadOnlySpan<float> sample) => SumAbs(sample) / sample.Length;

    private static float[] Arange(bool flip)
    {
        var result = new float[Count];
        for (var b = 0; b < Batch; b++)
        {
            for (var c = 0; c < Channels; c++)
            {
                for (var h = 0; h < Height; h++)
                {
                    for (var w = 0; w < Width; w++)
                    {
                        // Source layout (c, h, w, b); flat index of that element in the arange.
                        var source = (((((c * Height) + h) * Width) + w) * Batch) + b;
                        var value = flip ? Count - 1 - source : source;
                        result[(((((b * Channels) + c) * Height) + h) * Width) + w] = (float)value / Count;
                    }
                }
            }
        }

        return result;
    }
}
