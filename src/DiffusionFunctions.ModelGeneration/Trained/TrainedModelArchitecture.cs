using DiffusionFunctions.ModelGeneration.Architectures;

namespace DiffusionFunctions.ModelGeneration.Trained;

/// <summary>
/// The component shapes of a model trained elsewhere (for example by DiffusionFunctions.Training) and written with
/// <see cref="TrainedModelFolderWriter"/>: a compact-vocabulary text encoder, a standard UNet and an autoencoder whose
/// encoder outputs <c>latent_sample</c>. The UNet and VAE graphs are exactly those of the generated test models.
/// </summary>
public sealed record TrainedModelArchitecture(CompactTextEncoderConfig TextEncoder, UnetConfig Unet, VaeConfig Vae)
{
    /// <summary>
    /// The guidance scale the model is made for, written to <c>generation_config.json</c> (<c>guidance_scale</c>), which
    /// the pipeline uses when a run names none; null writes no file (diffusers' 7.5 applies).
    /// </summary>
    public double? DefaultGuidanceScale { get; init; }

    /// <summary>
    /// The diffusers scheduler class the folder's <c>scheduler/scheduler_config.json</c> names (the pipeline's default
    /// sampler): <c>PNDMScheduler</c> as SD 1.5 ships it, or another class (<c>DDIMScheduler</c>, <c>EulerDiscreteScheduler</c>,
    /// ...) over the same scaled_linear training schedule.
    /// </summary>
    public string SchedulerClassName { get; init; } = "PNDMScheduler";

    /// <summary>The weight-less parameter list of each component, as the graph builders declare them (names and PyTorch shapes).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Weights.ParameterSpec>> DescribeParameters() =>
        TrainedModelFolderWriter.DescribeParameters(this);
}
