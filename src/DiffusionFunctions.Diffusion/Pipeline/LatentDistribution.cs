using DiffusionFunctions.Diffusion.Randomness;

namespace DiffusionFunctions.Diffusion.Pipeline;

/// <summary>
/// Samples the VAE encoder's <c>latent_parameters</c> (mean and log-variance stacked on the channel axis) as diffusers'
/// <c>DiagonalGaussianDistribution.sample(generator)</c>: mean + exp(0.5 · clamp(logvar, −30, 20)) · randn.
/// </summary>
internal static class LatentDistribution
{
    /// <summary>Draws one latent [1, 4, h, w] from [1, 8, h, w] parameters with <paramref name="generator"/>.</summary>
    public static float[] Sample(ReadOnlySpan<float> parameters, TorchGenerator generator)
    {
        var half = parameters.Length / 2;
        var noise = generator.Randn(half);
        var result = new float[half];
        for (var i = 0; i < half; i++)
        {
            var logVariance = Math.Clamp(parameters[half + i], -30f, 20f);
            result[i] = parameters[i] + (MathF.Exp(0.5f * logVariance) * noise[i]);
        }

        return result;
    }
}
