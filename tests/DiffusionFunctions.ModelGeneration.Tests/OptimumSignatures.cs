using Microsoft.ML.OnnxRuntime.Tensors;

namespace DiffusionFunctions.ModelGeneration.Tests;

internal sealed record TensorSignature(TensorElementType ElementType, params string[] Dims);

internal sealed record ComponentSignature(Dictionary<string, TensorSignature> Inputs, Dictionary<string, TensorSignature> Outputs);

/// <summary>
/// The tensor names, element types and axes of Optimum's Stable Diffusion 1.5 ONNX export (optimum
/// <c>exporters/onnx/model_configs.py</c>: CLIPTextOnnxConfig, UNetOnnxConfig, VaeEncoderOnnxConfig, VaeDecoderOnnxConfig,
/// the safety checker config), with the tiny preset's fixed widths and the variant's export differences.
/// </summary>
internal static class OptimumSignatures
{
    public static Dictionary<string, ComponentSignature> For(ModelVariant variant)
    {
        var f = variant.Fp16 ? TensorElementType.Float16 : TensorElementType.Float;
        var hidden = variant.Sd2 ? "64" : "32";
        var result = new Dictionary<string, ComponentSignature>(StringComparer.Ordinal)
        {
            ["text_encoder"] = new(
                new() { ["input_ids"] = new(variant.InputIdsInt64 ? TensorElementType.Int64 : TensorElementType.Int32, "batch_size", "sequence_length") },
                new()
                {
                    ["last_hidden_state"] = new(f, "batch_size", "sequence_length", hidden),
                    ["pooler_output"] = new(f, "batch_size", hidden),
                }),
            ["unet"] = new(
                new()
                {
                    ["sample"] = new(f, "batch_size", variant.InpaintingUnet ? "9" : "4", "height", "width"),
                    ["timestep"] = variant.Timestep switch
                    {
                        TimestepForm.Int64Batch => new(TensorElementType.Int64, "batch"),
                        TimestepForm.Float32Batch => new(TensorElementType.Float, "steps"),
                        TimestepForm.Float16Batch => new(TensorElementType.Float16, "steps"),
                        _ => new(f),
                    },
                    ["encoder_hidden_states"] = new(f, "batch_size", "sequence_length", hidden),
                },
                new() { ["out_sample"] = new(f, "batch_size", "4", "height", "width") }),
            ["vae_decoder"] = new(
                new() { ["latent_sample"] = new(f, "batch_size", "4", "height_latent", "width_latent") },
                new() { ["sample"] = new(f, "batch_size", "3", "height", "width") }),
        };
        if (variant.IncludeVaeEncoder)
        {
            result["vae_encoder"] = new(
                new() { ["sample"] = new(f, "batch_size", "3", "height", "width") },
                variant.VaeEncoderOutput == VaeEncoderOutput.LatentParameters
                    ? new() { ["latent_parameters"] = new(f, "batch_size", "8", "height_latent", "width_latent") }
                    : new() { ["latent_sample"] = new(f, "batch_size", "4", "height_latent", "width_latent") });
        }

        if (variant.IncludeSafetyChecker)
        {
            result["safety_checker"] = new(
                new()
                {
                    ["clip_input"] = new(f, "batch_size", "3", "224", "224"),
                    ["images"] = new(f, "batch_size", "height", "width", "3"),
                },
                new()
                {
                    ["out_images"] = new(f, "batch_size", "height", "width", "3"),
                    ["has_nsfw_concepts"] = new(TensorElementType.Bool, "batch_size"),
                });
        }

        return result;
    }
}
