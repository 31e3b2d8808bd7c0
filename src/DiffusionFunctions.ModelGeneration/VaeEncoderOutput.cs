namespace DiffusionFunctions.ModelGeneration;

/// <summary>Which tensor the VAE encoder returns.</summary>
public enum VaeEncoderOutput
{
    /// <summary><c>latent_parameters</c>, 2x latent channels: mean and log-variance (current Optimum).</summary>
    LatentParameters,

    /// <summary>
    /// <c>latent_sample</c>, latent channels (older exports). Here it is the distribution mean, a deterministic
    /// stand-in for the sampled latent those exports traced.
    /// </summary>
    LatentSample,
}
