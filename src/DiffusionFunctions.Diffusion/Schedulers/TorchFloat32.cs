namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>
/// PyTorch CPU float32 primitives whose rounding the schedulers reproduce: <c>torch.linspace</c> (AVX2-vectorised kernel)
/// and <c>torch.cumprod</c> (double accumulator). Matching them keeps betas and alpha products bit-identical to diffusers.
/// </summary>
internal static class TorchFloat32
{
    // Vectorized<float>::size() on AVX2; cpu_serial_kernel_vec handles two vectors per iteration, then a scalar tail.
    private const int VectorSize = 8;

    /// <summary><c>torch.linspace(start, end, steps, dtype=torch.float32)</c> as the CPU kernel computes it.</summary>
    /// <remarks>aten/src/ATen/native/cpu/RangeFactoriesKernel.cpp: <c>step = (end - start) / (steps - 1)</c> in float; the first
    /// half counts up from start, the second down from end; a vector block is <c>base + i*step</c> from its first index.</remarks>
    public static float[] Linspace(float start, float end, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        var result = new float[steps];
        if (steps == 0)
        {
            return result;
        }

        if (steps == 1)
        {
            result[0] = start;
            return result;
        }

        var step = (end - start) / (steps - 1);
        var halfway = steps / 2;
        var i = 0;
        for (; i + (2 * VectorSize) <= steps; i += VectorSize)
        {
            var baseValue = i < halfway ? start + (step * i) : end - (step * (steps - i - 1));
            for (var lane = 0; lane < VectorSize; lane++)
            {
                result[i + lane] = baseValue + (lane * step);
            }

            i += VectorSize;
            baseValue = i < halfway ? start + (step * i) : end - (step * (steps - i - 1));
            for (var lane = 0; lane < VectorSize; lane++)
            {
                result[i + lane] = baseValue + (lane * step);
            }
        }

        for (; i < steps; i++)
        {
            result[i] = i < halfway ? start + (step * i) : end - (step * (steps - i - 1));
        }

        return result;
    }

    /// <summary><c>torch.cumprod</c> of a float32 vector: accumulated in double, rounded to float at each element.</summary>
    public static float[] CumulativeProduct(ReadOnlySpan<float> values)
    {
        var result = new float[values.Length];
        var accumulator = 1.0;
        for (var i = 0; i < values.Length; i++)
        {
            accumulator *= values[i];
            result[i] = (float)accumulator;
        }

        return result;
    }
}
