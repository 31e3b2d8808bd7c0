using System.Text.Json.Nodes;
using DiffusionFunctions.ModelGeneration.Architectures;

namespace DiffusionFunctions.ModelGeneration.Folder;

/// <summary>
/// The JSON files of a diffusers ONNX folder: <c>model_index.json</c>, <c>scheduler/scheduler_config.json</c> (SD 1.5's
/// PNDM settings) and each component's <c>config.json</c>, with the keys diffusers and transformers write.
/// </summary>
internal static class ModelFolderConfigs
{
    public const string DiffusersVersion = "0.30.0";

    private static readonly JsonArray OnnxModel = JsonFile.Array("diffusers", "OnnxRuntimeModel");

    public static JsonObject ModelIndex(StableDiffusionArchitecture architecture)
    {
        var index = SdModelIndex(architecture);
        index["_class_name"] = architecture.PipelineClassName;
        index["scheduler"] = JsonFile.Array("diffusers", architecture.SchedulerClassName);
        if (!architecture.IncludeTextEncoder)
        {
            index["text_encoder"] = JsonFile.Array(null, null);
            index["tokenizer"] = JsonFile.Array(null, null);
        }

        if (architecture.TextEncoder2 is not null)
        {
            // The SDXL pipelines' index: no safety checker keys, both encoders and tokenizers, the two flags.
            index.Remove("safety_checker");
            index.Remove("requires_safety_checker");
            index["text_encoder_2"] = OnnxModel.DeepClone();
            index["tokenizer_2"] = JsonFile.Array("transformers", "CLIPTokenizer");
        }

        if (architecture.ForceZerosForEmptyPrompt is { } zeros)
        {
            index["force_zeros_for_empty_prompt"] = zeros;
        }

        if (architecture.RequiresAestheticsScore is { } aesthetic)
        {
            index["requires_aesthetics_score"] = aesthetic;
        }

        return index;
    }

    /// <summary>diffusers' <c>LCMScheduler</c> config as LCM-distilled SD 1.5 models ship it (SimianLuo/LCM_Dreamshaper_v7).</summary>
    public static JsonObject LcmSchedulerConfig(StableDiffusionArchitecture architecture) => new()
    {
        ["_class_name"] = "LCMScheduler",
        ["_diffusers_version"] = DiffusersVersion,
        ["beta_end"] = 0.012,
        ["beta_schedule"] = "scaled_linear",
        ["beta_start"] = 0.00085,
        ["clip_sample"] = false,
        ["clip_sample_range"] = 1.0,
        ["num_train_timesteps"] = 1000,
        ["original_inference_steps"] = 50,
        ["prediction_type"] = architecture.PredictionType,
        ["rescale_betas_zero_snr"] = false,
        ["set_alpha_to_one"] = true,
        ["steps_offset"] = 1,
        ["timestep_scaling"] = 10.0,
        ["timestep_spacing"] = "leading",
        ["trained_betas"] = null,
    };

    /// <summary>The scheduler config the architecture names (PNDM for SD 1.5, Euler for SDXL, Euler Ancestral trailing for Turbo, LCM).</summary>
    public static JsonObject SchedulerConfigFor(StableDiffusionArchitecture architecture) => architecture.SchedulerClassName switch
    {
        "PNDMScheduler" => SchedulerConfig(architecture),
        "LCMScheduler" => LcmSchedulerConfig(architecture),
        var name => SchedulerConfig(architecture, name),
    };

    private static JsonObject SdModelIndex(StableDiffusionArchitecture architecture) => new()
    {
        ["_class_name"] = "OnnxStableDiffusionPipeline",
        ["_diffusers_version"] = DiffusersVersion,
        ["feature_extractor"] = architecture.SafetyChecker is null ? JsonFile.Array(null, null) : JsonFile.Array("transformers", "CLIPImageProcessor"),
        ["requires_safety_checker"] = architecture.SafetyChecker is not null,
        ["safety_checker"] = architecture.SafetyChecker is null ? JsonFile.Array(null, null) : OnnxModel.DeepClone(),
        ["scheduler"] = JsonFile.Array("diffusers", "PNDMScheduler"),
        ["text_encoder"] = OnnxModel.DeepClone(),
        ["tokenizer"] = JsonFile.Array("transformers", "CLIPTokenizer"),
        ["unet"] = OnnxModel.DeepClone(),
        ["vae_decoder"] = OnnxModel.DeepClone(),
        ["vae_encoder"] = architecture.IncludeVaeEncoder ? OnnxModel.DeepClone() : JsonFile.Array(null, null),
    };

    /// <summary>diffusers' <c>PNDMScheduler</c> config as shipped with SD 1.5 (<c>prediction_type</c> per variant).</summary>
    public static JsonObject SchedulerConfig(StableDiffusionArchitecture architecture) => new()
    {
        ["_class_name"] = "PNDMScheduler",
        ["_diffusers_version"] = DiffusersVersion,
        ["beta_end"] = 0.012,
        ["beta_schedule"] = "scaled_linear",
        ["beta_start"] = 0.00085,
        ["clip_sample"] = false,
        ["num_train_timesteps"] = 1000,
        ["prediction_type"] = architecture.PredictionType,
        ["set_alpha_to_one"] = false,
        ["skip_prk_steps"] = true,
        ["steps_offset"] = 1,
        ["timestep_spacing"] = "leading",
        ["trained_betas"] = null,
    };

    /// <summary>
    /// A scheduler config naming <paramref name="className"/> over the same training schedule, with every key SDXL's
    /// config carries (leading spacing, offset 1, linear sigma interpolation, no Karras sigmas, and <c>clip_sample</c> /
    /// <c>set_alpha_to_one</c> / <c>skip_prk_steps</c>), so that any sampler made from it gets SD's settings rather than
    /// its class defaults (DDIM's and DDPM's clip the predicted sample to [-1, 1]).
    /// </summary>
    public static JsonObject SchedulerConfig(StableDiffusionArchitecture architecture, string className) => new()
    {
        ["_class_name"] = className,
        ["_diffusers_version"] = DiffusersVersion,
        ["beta_end"] = 0.012,
        ["beta_schedule"] = "scaled_linear",
        ["beta_start"] = 0.00085,
        ["clip_sample"] = false,
        ["interpolation_type"] = "linear",
        ["num_train_timesteps"] = 1000,
        ["prediction_type"] = architecture.PredictionType,
        ["sample_max_value"] = 1.0,
        ["set_alpha_to_one"] = false,
        ["skip_prk_steps"] = true,
        ["steps_offset"] = 1,
        ["timestep_spacing"] = architecture.TimestepSpacing,
        ["trained_betas"] = null,
        ["use_karras_sigmas"] = false,
    };

    public static JsonObject TextEncoderConfig(ClipTextEncoderConfig text, bool fp16) => new()
    {
        ["architectures"] = JsonFile.Array(text.ProjectionDim is null ? "CLIPTextModel" : "CLIPTextModelWithProjection"),
        ["attention_dropout"] = 0.0,
        ["bos_token_id"] = 0,
        ["eos_token_id"] = 2,
        ["hidden_act"] = text.Activation == TextActivation.QuickGelu ? "quick_gelu" : "gelu",
        ["hidden_size"] = text.Hidden,
        ["initializer_factor"] = 1.0,
        ["initializer_range"] = 0.02,
        ["intermediate_size"] = text.Intermediate,
        ["layer_norm_eps"] = text.LayerNormEpsilon,
        ["max_position_embeddings"] = text.MaxPositions,
        ["model_type"] = "clip_text_model",
        ["num_attention_heads"] = text.Heads,
        ["num_hidden_layers"] = text.Layers,
        ["pad_token_id"] = 1,
        ["projection_dim"] = text.ProjectionDim ?? text.Hidden,
        ["torch_dtype"] = fp16 ? "float16" : "float32",
        ["vocab_size"] = text.VocabSize,
    };

    public static JsonObject UnetConfig(UnetConfig unet)
    {
        var config = SdUnetConfig(unet);
        if (unet.AdditionTimeEmbedDim is { } addDim)
        {
            config["addition_embed_type"] = "text_time";
            config["addition_time_embed_dim"] = addDim;
            config["projection_class_embeddings_input_dim"] = unet.TextEmbedsDim + (unet.TimeIdsCount * addDim);
        }

        if (unet.TimeCondProjDim is { } condDim)
        {
            config["time_cond_proj_dim"] = condDim;
        }

        if (unet.TransformerDepth is { } depth)
        {
            config["transformer_layers_per_block"] = JsonFile.Numbers(depth.Select(d => Math.Max(1, d)).ToList());
        }

        return config;
    }

    private static JsonObject SdUnetConfig(UnetConfig unet) => new()
    {
        ["_class_name"] = "UNet2DConditionModel",
        ["_diffusers_version"] = DiffusersVersion,
        ["act_fn"] = "silu",
        ["attention_head_dim"] = unet.BlockHeads.Distinct().Count() == 1 ? unet.BlockHeads[0] : JsonFile.Numbers(unet.BlockHeads),
        ["block_out_channels"] = JsonFile.Numbers(unet.BlockChannels),
        ["center_input_sample"] = false,
        ["cross_attention_dim"] = unet.CrossAttentionDim,
        ["down_block_types"] = JsonFile.Strings(unet.BlockHasCrossAttention.Select(a => a ? "CrossAttnDownBlock2D" : "DownBlock2D")),
        ["downsample_padding"] = 1,
        ["flip_sin_to_cos"] = true,
        ["freq_shift"] = 0,
        ["in_channels"] = unet.InChannels,
        ["layers_per_block"] = unet.LayersPerBlock,
        ["mid_block_scale_factor"] = 1,
        ["norm_eps"] = unet.NormEpsilon,
        ["norm_num_groups"] = unet.NormGroups,
        ["out_channels"] = unet.OutChannels,
        ["sample_size"] = unet.SampleSize,
        ["up_block_types"] = JsonFile.Strings(unet.BlockHasCrossAttention.Reverse().Select(a => a ? "CrossAttnUpBlock2D" : "UpBlock2D")),
        ["use_linear_projection"] = unet.UseLinearProjection,
    };

    public static JsonObject VaeConfig(VaeConfig vae)
    {
        var config = SdVaeConfig(vae);
        if (vae.ForceUpcast is { } upcast)
        {
            config["force_upcast"] = upcast;
        }

        return config;
    }

    private static JsonObject SdVaeConfig(VaeConfig vae) => new()
    {
        ["_class_name"] = "AutoencoderKL",
        ["_diffusers_version"] = DiffusersVersion,
        ["act_fn"] = "silu",
        ["block_out_channels"] = JsonFile.Numbers(vae.BlockChannels),
        ["down_block_types"] = JsonFile.Strings(vae.BlockChannels.Select(_ => "DownEncoderBlock2D")),
        ["in_channels"] = 3,
        ["latent_channels"] = vae.LatentChannels,
        ["layers_per_block"] = vae.LayersPerBlock,
        ["norm_num_groups"] = vae.NormGroups,
        ["out_channels"] = 3,
        ["sample_size"] = vae.SampleSize,
        ["scaling_factor"] = vae.ScalingFactor,
        ["up_block_types"] = JsonFile.Strings(vae.BlockChannels.Select(_ => "UpDecoderBlock2D")),
    };

    /// <summary>The CLIP image processor settings the safety checker's <c>clip_input</c> expects.</summary>
    public static JsonObject FeatureExtractorConfig() => new()
    {
        ["crop_size"] = new JsonObject { ["height"] = 224, ["width"] = 224 },
        ["do_center_crop"] = true,
        ["do_convert_rgb"] = true,
        ["do_normalize"] = true,
        ["do_rescale"] = true,
        ["do_resize"] = true,
        ["image_mean"] = JsonFile.Array(0.48145466, 0.4578275, 0.40821073),
        ["image_processor_type"] = "CLIPImageProcessor",
        ["image_std"] = JsonFile.Array(0.26862954, 0.26130258, 0.27577711),
        ["resample"] = 3,
        ["rescale_factor"] = 0.00392156862745098,
        ["size"] = new JsonObject { ["shortest_edge"] = 224 },
    };
}
