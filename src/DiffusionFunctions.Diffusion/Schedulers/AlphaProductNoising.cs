namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>
/// Forward diffusion q(x_t | x_0) = √ᾱ_t x_0 + √(1 - ᾱ_t) ε (Ho et al. 2020, eq. 4), the <c>add_noise</c> of the samplers
/// indexed by training timestep (DDPM, DDIM, PNDM, LCM), in float32 as diffusers computes it.
/// </summary>
internal static class AlphaProductNoising
{
    public static void AddNoise(float alphaProduct, ReadOnlySpan<float> originalSamples, ReadOnlySpan<float> noise, Span<float> destination)
    {
        SchedulerMath.CheckLengths(originalSamples.Length, noise.Length, nameof(noise));
        SchedulerMath.CheckLengths(originalSamples.Length, destination.Length, nameof(destination));
        var signal = MathF.Sqrt(alphaProduct);
        var noiseScale = MathF.Sqrt(1.0f - alphaProduct);
        for (var i = 0; i < originalSamples.Length; i++)
        {
            destination[i] = (signal * originalSamples[i]) + (noiseScale * noise[i]);
        }
    }
}
