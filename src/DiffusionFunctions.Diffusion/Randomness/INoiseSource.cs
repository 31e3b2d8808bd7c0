namespace DiffusionFunctions.Diffusion.Randomness;

/// <summary>
/// Where a stochastic sampler draws its standard normal noise: one call per tensor the sampler needs, in the order diffusers
/// draws them. <see cref="TorchGenerator"/> is the implementation the engine uses (bit-identical to <c>torch.randn</c>);
/// tests replay noise recorded from diffusers through the same seam, as diffusers' own tests pass <c>variance_noise</c>.
/// </summary>
public interface INoiseSource
{
    /// <summary>Fills <paramref name="destination"/> with standard normal float32 values (one <c>torch.randn</c> call of that size).</summary>
    void FillNormal(Span<float> destination);
}
