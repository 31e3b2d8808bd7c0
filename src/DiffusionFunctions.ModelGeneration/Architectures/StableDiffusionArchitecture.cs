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
    /// <summary>SDXL's second text encoder (with projection), or null for SD 1.x/2.x.</summary>
    public ClipTextEncoderConfig? TextEncoder2 { get; init; }

    /// <summary>Write <c>text_encoder/</c> and <c>tokenizer/</c> (false for the SDXL refiner, which has text_encoder_2 only).</summary>
    public bool IncludeTextEncoder { get; init; } = true;

    /// <summary>model_index.json's <c>_class_name</c>.</summary>
    public string PipelineClassName { get; init; } = "OnnxStableDiffusionPipeline";

    /// <summary>The scheduler class written to <c>scheduler/scheduler_config.json</c>.</summary>
    public string SchedulerClassName { get; init; } = "PNDMScheduler";

    /// <summary>The scheduler's <c>timestep_spacing</c> (Turbo: <c>trailing</c>).</summary>
    public string TimestepSpacing { get; init; } = "leading";

    /// <summary><c>generation_config.json</c> <c>guidance_scale</c>; with <see cref="DefaultSteps"/> null, no file is written.</summary>
    public double? DefaultGuidanceScale { get; init; }

    /// <summary><c>generation_config.json</c> <c>num_inference_steps</c>.</summary>
    public int? DefaultSteps { get; init; }

    /// <summary>model_index.json <c>force_zeros_for_empty_prompt</c> (SDXL), null to leave out.</summary>
    public bool? ForceZerosForEmptyPrompt { get; init; }

    /// <summary>model_index.json <c>requires_aesthetics_score</c> (SDXL), null to leave out.</summary>
    public bool? RequiresAestheticsScore { get; init; }

    /// <summary>Store text_encoder_2's weights in an external data file (SDXL's bigG encoder is over protobuf's 2 GB).</summary>
    public string? TextEncoder2ExternalDataFileName { get; init; }

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
            case ModelPreset.SdxlTiny or ModelPreset.SdxlRefinerTiny or ModelPreset.SdxlTurboTiny or ModelPreset.Sdxl:
                return ResolveXl(preset, variant);
            case ModelPreset.LcmTiny:
                var lcm = Resolve(ModelPreset.Tiny, variant with { Sd2 = false });
                return lcm with
                {
                    Unet = lcm.Unet with { TimeCondProjDim = 32 },
                    PipelineClassName = "LatentConsistencyModelPipeline",
                    SchedulerClassName = "LCMScheduler",
                    DefaultGuidanceScale = 8.5,
                    DefaultSteps = 4,
                };
            case ModelPreset.SdTurboTiny:
                return Resolve(ModelPreset.Tiny, variant with { Sd2 = true }) with
                {
                    SchedulerClassName = "EulerAncestralDiscreteScheduler",
                    TimestepSpacing = "trailing",
                    DefaultGuidanceScale = 0,
                    DefaultSteps = 1,
                };
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

    // SDXL as Optimum exports it: both encoders with hidden states, text_encoder_2 with projection, a text_time UNet.
    private static StableDiffusionArchitecture ResolveXl(ModelPreset preset, ModelVariant variant)
    {
        var ids64 = variant.InputIdsInt64;
        var refiner = preset == ModelPreset.SdxlRefinerTiny;
        ClipTextEncoderConfig text1, text2;
        UnetConfig unet;
        VaeConfig vae;
        if (preset == ModelPreset.Sdxl)
        {
            text1 = new ClipTextEncoderConfig(49408, 77, 768, 12, 12, 3072, TextActivation.QuickGelu, ids64) { OutputHiddenStates = true };
            text2 = new ClipTextEncoderConfig(49408, 77, 1280, 32, 20, 5120, TextActivation.Gelu, ids64) { ProjectionDim = 1280, OutputHiddenStates = true };
            unet = new UnetConfig(4, 4, [320, 640, 1280], [false, true, true], [5, 10, 20], 2, 2048, 32, true, 128, variant.Timestep)
            {
                AdditionTimeEmbedDim = 256,
                TextEmbedsDim = 1280,
                TransformerDepth = [0, 2, 10],
            };
            vae = new VaeConfig([128, 256, 512, 512], 2, 4, 32, MidAttention: true, OutputTanh: true, SampleSize: 1024) { ScalingFactor = 0.13025f, ForceUpcast = true };
        }
        else
        {
            text1 = new ClipTextEncoderConfig(49408, 77, 32, 2, 2, 64, TextActivation.QuickGelu, ids64) { OutputHiddenStates = true };
            text2 = new ClipTextEncoderConfig(49408, 77, 64, 2, 4, 128, TextActivation.Gelu, ids64) { ProjectionDim = 32, OutputHiddenStates = true };
            unet = new UnetConfig(4, 4, [16, 32, 64], [false, true, true], [2, 2, 4], 1, refiner ? text2.Hidden : text1.Hidden + text2.Hidden, 8, true, 8, variant.Timestep)
            {
                AdditionTimeEmbedDim = 8,
                TextEmbedsDim = 32,
                TimeIdsCount = refiner ? 5 : 6,
            };
            vae = new VaeConfig([8, 8, 16, 16], 1, 4, 4, MidAttention: false, OutputTanh: true, SampleSize: 64) { ScalingFactor = 0.13025f, ForceUpcast = true };
        }

        var large = preset == ModelPreset.Sdxl;
        var architecture = new StableDiffusionArchitecture(
            text1,
            unet,
            vae,
            SafetyChecker: null,
            variant.IncludeVaeEncoder,
            variant.VaeEncoderOutput,
            variant.Fp16,
            "epsilon",
            ClipVocabularyConverter.StableDiffusion1PadToken,
            large || variant.ExternalWeights ? variant.ExternalWeightsFileName : null)
        {
            TextEncoder2 = text2,
            IncludeTextEncoder = !refiner,
            PipelineClassName = refiner ? "StableDiffusionXLImg2ImgPipeline" : "StableDiffusionXLPipeline",
            SchedulerClassName = "EulerDiscreteScheduler",
            ForceZerosForEmptyPrompt = !refiner,
            RequiresAestheticsScore = refiner ? true : null,
            TextEncoder2ExternalDataFileName = large ? "model.onnx_data" : null,
        };
        return preset == ModelPreset.SdxlTurboTiny
            ? architecture with
            {
                SchedulerClassName = "EulerAncestralDiscreteScheduler",
                TimestepSpacing = "trailing",
                DefaultGuidanceScale = 0,
                DefaultSteps = 1,
            }
            : architecture;
    }
}
