using System.Globalization;

namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>Small helpers every sampler uses: img2img start index, history buffers, timestep checks.</summary>
internal static class SchedulerMath
{
    /// <summary>
    /// diffusers' img2img <c>get_timesteps</c>: keeps <c>min(int(n * strength), n)</c> steps and returns the index of the first
    /// kept one, <c>(n - kept) * order</c>. When no step is kept the index is the end of the schedule, so the tail is empty,
    /// as diffusers' is (the pipeline refuses such settings before it gets here).
    /// </summary>
    public static int StrengthStartIndex(int numInferenceSteps, float strength, int order)
    {
        if (!(strength > 0 && strength <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(strength), strength, "Strength must lie in (0, 1].");
        }

        return (numInferenceSteps - StrengthKeptSteps(numInferenceSteps, strength)) * order;
    }

    /// <summary><c>min(int(n * strength), n)</c>, with strength read as its shortest decimal so 0.7f behaves like Python's 0.7.</summary>
    public static int StrengthKeptSteps(int numInferenceSteps, float strength)
    {
        var exact = double.Parse(strength.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return Math.Clamp((int)(numInferenceSteps * exact), 0, numInferenceSteps);
    }

    /// <summary>Returns <paramref name="buffer"/> if it has <paramref name="length"/> elements, else a new one (allocated once per latent size).</summary>
    public static float[] Ensure(ref float[]? buffer, int length)
    {
        if (buffer is null || buffer.Length != length)
        {
            buffer = new float[length];
        }

        return buffer;
    }

    /// <summary>The integer training timestep a discrete sampler was given.</summary>
    public static int DiscreteTimestep(float timestep, int numTrainTimesteps)
    {
        var t = (int)timestep;
        if (t != timestep || t < 0 || t >= numTrainTimesteps)
        {
            throw new ArgumentOutOfRangeException(
                nameof(timestep), timestep, $"Expected a whole training timestep in [0, {numTrainTimesteps}); pass a value from Timesteps.");
        }

        return t;
    }

    /// <summary>Checks that the spans of one step agree in length.</summary>
    public static void CheckLengths(int sampleLength, int otherLength, string otherName)
    {
        if (otherLength != sampleLength)
        {
            throw new ArgumentException($"'{otherName}' has {otherLength} elements but the sample has {sampleLength}.", otherName);
        }
    }

    /// <summary>Fills <paramref name="destination"/> with standard normal noise from the caller's noise source.</summary>
    public static void DrawNoise(Randomness.INoiseSource? noiseSource, Span<float> destination, string schedulerName)
    {
        if (noiseSource is null)
        {
            throw new ArgumentNullException(
                nameof(noiseSource), $"The '{schedulerName}' scheduler is stochastic: pass the run's noise source (its TorchGenerator) to Step.");
        }

        noiseSource.FillNormal(destination);
    }
}
