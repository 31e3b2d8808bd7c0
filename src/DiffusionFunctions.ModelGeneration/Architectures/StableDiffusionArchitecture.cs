using DiffusionFunctions.Diffusion.Tokenization;

namespace DiffusionFunctions.ModelGeneration.Architectures;

/// <summary>The component shapes for one preset and variant (see <see cref="Resolve"/>).</summary>
public sealed record StableDiffusionArchitecture(
    ClipTextEncoderConfig TextEncoder,
    UnetConfig Unet,
    VaeConfig Vae,
    SafetyCheckerConfig? SafetyChecker,
    bool IncludeVaeEncoder,
    VaeEncoderOutput VaeEncoderOutput,
    bool Fp16,
    string PredictionType,
    string PadToken,
    string? UnetExternalDataFileName)
{
    /// <summary>Maps a preset and variant to component configurations.</summary>
    public static StableDiffusionArchitecture Resolve(ModelPreset preset, ModelVariant variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        var sd2 = variant.Sd2;
        var inChannels = variant.InpaintingUnet ? 9 : 4;
        ClipTextEncoderConfig text;
        UnetConfig unet;
        VaeConfig vae;
        SafetyCheckerConfig safety;
        switch (preset)
        {
            case ModelPreset.Tiny:
                text = sd2
                    ? new ClipTextEncoderConfig(49408, 77, 64, 2, 4, 128, TextActivation.Gelu, variant.InputIdsInt64)
                    : new ClipTextEncoderConfig(49408, 77, 32, 2, 2, 64, TextActivation.QuickGelu, variant.InputIdsInt64);
                // Sized for CPU speed at 512x512: attention only at the lowest UNet level (1/4 of the latent size) and in the
                // mid block, and a narrow VAE without mid attention (its full-resolution convolutions dominate).
                unet = new UnetConfig(
                    inChannels, 4, [16, 32, 64], [false, false, true], sd2 ? [2, 2, 4] : [2, 2, 2], 1, text.Hidden, 8, sd2, 8, variant.Timestep);
                vae = new VaeConfig([8, 8, 16, 16], 1, 4, 4, MidAttention: false, OutputTanh: true, SampleSize: 64);
                safety = new SafetyCheckerConfig(variant.SafetyCheckerRedThreshold, 32, 8);
                break;
            case ModelPreset.Sd15:
                text = sd2
                    ? new ClipTextEncoderConfig(49408, 77, 1024, 23, 16, 4096, TextActivation.Gelu, variant.InputIdsInt64)
                    : new ClipTextEncoderConfig(49408, 77, 768, 12, 12, 3072, TextActivation.QuickGelu, variant.InputIdsInt64);
                unet = new UnetConfig(
                    inChannels, 4, [320, 640, 1280, 1280], [true, true, true, false], sd2 ? [5, 10, 20, 20] : [8, 8, 8, 8], 2, text.Hidden, 32, sd2, sd2 ? 96 : 64, variant.Timestep);
                vae = new VaeConfig([128, 256, 512, 512], 2, 4, 32, MidAttention: true, OutputTanh: true, SampleSize: sd2 ? 768 : 512);
                safety = new SafetyCheckerConfig(variant.SafetyCheckerRedThreshold, 32, 64);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(preset), preset, "Unknown model preset.");
        }

        var external = preset == ModelPreset.Sd15 || variant.ExternalWeights;
        return new StableDiffusionArchitecture(
            text,
            unet,
            vae,
            variant.IncludeSafetyChecker ? safety : null,
            variant.IncludeVaeEncoder,
            variant.VaeEncoderOutput,
            variant.Fp16,
            variant.PredictionType,
            sd2 ? ClipVocabularyConverter.StableDiffusion2PadToken : ClipVocabularyConverter.StableDiffusion1PadToken,
            external ? variant.ExternalWeightsFileName : null);
    }
}
