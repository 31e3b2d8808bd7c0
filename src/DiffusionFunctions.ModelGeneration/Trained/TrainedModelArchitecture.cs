using DiffusionFunctions.ModelGeneration.Architectures;

namespace DiffusionFunctions.ModelGeneration.Trained;

/// <summary>
/// The component shapes of a model trained elsewhere (for example by DiffusionFunctions.Training) and written with
/// <see cref="TrainedModelFolderWriter"/>: a compact-vocabulary text encoder, a standard UNet and an autoencoder whose
/// encoder outputs <c>latent_sample</c>. The UNet and VAE graphs are exactly those of the generated test models.
/// </summary>
public sealed record TrainedModelArchitecture(CompactTextEncoderConfig TextEncoder, UnetConfig Unet, VaeConfig Vae)
{
    /// <summary>The weight-less parameter list of each component, as the graph builders declare them (names and PyTorch shapes).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Weights.ParameterSpec>> DescribeParameters() =>
        TrainedModelFolderWriter.DescribeParameters(this);
}
