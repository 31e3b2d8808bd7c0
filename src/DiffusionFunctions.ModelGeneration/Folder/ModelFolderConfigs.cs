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

    public static JsonObject ModelIndex(StableDiffusionArchitecture architecture) => new()
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
        ["timestep_spacing"] = "leading",
        ["trained_betas"] = null,
        ["use_karras_sigmas"] = false,
    };

    public static JsonObject TextEncoderConfig(ClipTextEncoderConfig text, bool fp16) => new()
    {
        ["architectures"] = JsonFile.Array("CLIPTextModel"),
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
        ["projection_dim"] = text.Hidden,
        ["torch_dtype"] = fp16 ? "float16" : "float32",
        ["vocab_size"] = text.VocabSize,
    };

    public static JsonObject UnetConfig(UnetConfig unet) => new()
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

    public static JsonObject VaeConfig(VaeConfig vae) => new()
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
