namespace DiffusionFunctions.Training.Training;

/// <summary>Settings of one tiny-shapes training run (one stage of the shipped recipe: infra/scripts/train-tiny-shapes.sh sets each stage's step counts).</summary>
public sealed record TrainingOptions
{
    /// <summary>The model folder to write.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Where checkpoints go.</summary>
    public string WorkDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "tiny-shapes-work");

    /// <summary>The seed of TorchSharp's generator (initialisation, batches, noise, timesteps, dropout).</summary>
    public int Seed { get; init; } = 1234;

    /// <summary>
    /// Intra-op threads for libtorch. 1 by default: on a shared 2-core machine, libtorch's OpenMP regions stall on
    /// descheduled threads (measured 15x slower with 2 threads under load 30 than with 1).
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>
    /// A checkpoint of an earlier run whose autoencoder this run starts from: it trains <see cref="AutoencoderSteps"/> more
    /// joint steps and <see cref="DecoderSteps"/> decoder steps on it (0 and 0 reuse it as it is), so the autoencoder can
    /// be trained in cycles and the diffusion stage run on its own. Every stage reseeds from <see cref="Seed"/>.
    /// </summary>
    public string? AutoencoderCheckpoint { get; init; }

    /// <summary>Joint autoencoder steps.</summary>
    public int AutoencoderSteps { get; init; } = 800;

    /// <summary>A time budget for the joint autoencoder stage (caps <see cref="AutoencoderSteps"/>).</summary>
    public double? AutoencoderMinutes { get; init; }

    /// <summary>Decoder-only fine-tune steps.</summary>
    public int DecoderSteps { get; init; } = 200;

    /// <summary>Autoencoder batch size.</summary>
    public int AutoencoderBatch { get; init; } = 16;

    /// <summary>Autoencoder peak learning rate.</summary>
    public double AutoencoderLearningRate { get; init; } = 2e-3;

    /// <summary>UNet + text encoder steps (ignored when <see cref="UnetMinutes"/> is set).</summary>
    public int UnetSteps { get; init; } = 6000;

    /// <summary>A time budget for the UNet stage instead of a step count.</summary>
    public double? UnetMinutes { get; init; }

    /// <summary>UNet batch size.</summary>
    public int UnetBatch { get; init; } = 32;

    /// <summary>UNet peak learning rate.</summary>
    public double UnetLearningRate { get; init; } = 1e-3;

    /// <summary>EMA decay of the exported weights.</summary>
    public double EmaDecay { get; init; } = 0.998;

    /// <summary>Use only the first N training scenes (after the seeded shuffle); null for all (smoke runs).</summary>
    public int? SceneLimit { get; init; }

    /// <summary>The CLIP BPE file; null to locate it.</summary>
    public string? ClipBpePath { get; init; }
}
