using System.Globalization;
using System.Text.Json;
using DiffusionFunctions.ModelGeneration;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DiffusionFunctions.ModelGeneration.Tests;

/// <summary>
/// The SDXL, Turbo and LCM presets write what Optimum's ONNX export writes: tensor names in order, element types and axes
/// (optimum <c>exporters/onnx/model_configs.py</c>: <c>CLIPTextOnnxConfig</c> and <c>CLIPTextWithProjectionOnnxConfig</c>
/// with <c>output_hidden_states</c>, <c>UNetOnnxConfig</c> with <c>text_embeds</c>/<c>time_ids</c> for
/// <c>addition_embed_type = "text_time"</c> and <c>timestep_cond</c> for <c>time_cond_proj_dim</c>), and the folder JSON the
/// engine reads (index flags, scheduler, generation defaults).
/// </summary>
public sealed class SdxlPresetTests
{
    private const TensorElementType F = TensorElementType.Float;

    [Fact]
    public async Task Sdxl_tiny_has_optimums_sdxl_signatures()
    {
        var folder = await GeneratedModelCache.GetPresetAsync(ModelPreset.SdxlTiny);
        AssertSignature(folder, "text_encoder", Inputs(("input_ids", TensorElementType.Int32, ["batch_size", "sequence_length"])),
            [("last_hidden_state", F, ["batch_size", "sequence_length", "32"]), ("pooler_output", F, ["batch_size", "32"]), .. HiddenStates(2, "32")]);
        AssertSignature(folder, "text_encoder_2", Inputs(("input_ids", TensorElementType.Int32, ["batch_size", "sequence_length"])),
            [("text_embeds", F, ["batch_size", "32"]), ("last_hidden_state", F, ["batch_size", "sequence_length", "64"]), .. HiddenStates(2, "64")]);
        AssertSignature(folder, "unet",
            [("sample", F, ["batch_size", "4", "height", "width"]), ("timestep", F, ["steps"]), ("encoder_hidden_states", F, ["batch_size", "sequence_length", "96"]),
             ("text_embeds", F, ["batch_size", "32"]), ("time_ids", F, ["batch_size", "6"])],
            [("out_sample", F, ["batch_size", "4", "height", "width"])]);

        using var index = Json(folder, "model_index.json");
        Assert.Equal("StableDiffusionXLPipeline", index.RootElement.GetProperty("_class_name").GetString());
        Assert.True(index.RootElement.GetProperty("force_zeros_for_empty_prompt").GetBoolean());
        Assert.Equal("CLIPTokenizer", index.RootElement.GetProperty("tokenizer_2")[1].GetString());
        using var vae = Json(folder, "vae_decoder/config.json");
        Assert.Equal(0.13025, vae.RootElement.GetProperty("scaling_factor").GetDouble(), 5);
        Assert.True(vae.RootElement.GetProperty("force_upcast").GetBoolean());
        using var unet = Json(folder, "unet/config.json");
        Assert.Equal("text_time", unet.RootElement.GetProperty("addition_embed_type").GetString());
        Assert.Equal(32 + (6 * 8), unet.RootElement.GetProperty("projection_class_embeddings_input_dim").GetInt32());

        // tokenizer_2 pads with "!" (id 0), tokenizer/ with the end token.
        using var special = Json(folder, "tokenizer_2/special_tokens_map.json");
        Assert.Contains("!", special.RootElement.GetProperty("pad_token").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refiner_tiny_has_text_encoder_2_only_and_five_time_ids()
    {
        var folder = await GeneratedModelCache.GetPresetAsync(ModelPreset.SdxlRefinerTiny);
        Assert.False(Directory.Exists(Path.Combine(folder, "text_encoder")));
        Assert.False(Directory.Exists(Path.Combine(folder, "tokenizer")));
        AssertSignature(folder, "unet",
            [("sample", F, ["batch_size", "4", "height", "width"]), ("timestep", F, ["steps"]), ("encoder_hidden_states", F, ["batch_size", "sequence_length", "64"]),
             ("text_embeds", F, ["batch_size", "32"]), ("time_ids", F, ["batch_size", "5"])],
            [("out_sample", F, ["batch_size", "4", "height", "width"])]);
        using var index = Json(folder, "model_index.json");
        Assert.Equal("StableDiffusionXLImg2ImgPipeline", index.RootElement.GetProperty("_class_name").GetString());
        Assert.True(index.RootElement.GetProperty("requires_aesthetics_score").GetBoolean());
        Assert.False(index.RootElement.GetProperty("force_zeros_for_empty_prompt").GetBoolean());
        Assert.Equal(JsonValueKind.Null, index.RootElement.GetProperty("text_encoder")[0].ValueKind);
    }

    [Fact]
    public async Task Turbo_tiny_ships_euler_ancestral_trailing_and_guidance_0_in_one_step()
    {
        var folder = await GeneratedModelCache.GetPresetAsync(ModelPreset.SdxlTurboTiny);
        using var scheduler = Json(folder, "scheduler/scheduler_config.json");
        Assert.Equal("EulerAncestralDiscreteScheduler", scheduler.RootElement.GetProperty("_class_name").GetString());
        Assert.Equal("trailing", scheduler.RootElement.GetProperty("timestep_spacing").GetString());
        using var generation = Json(folder, "generation_config.json");
        Assert.Equal(0, generation.RootElement.GetProperty("guidance_scale").GetDouble());
        Assert.Equal(1, generation.RootElement.GetProperty("num_inference_steps").GetInt32());
    }

    [Fact]
    public async Task Lcm_tiny_has_the_guidance_embedding_input_and_the_lcm_scheduler()
    {
        var folder = await GeneratedModelCache.GetPresetAsync(ModelPreset.LcmTiny);
        AssertSignature(folder, "unet",
            [("sample", F, ["batch_size", "4", "height", "width"]), ("timestep", F, ["steps"]), ("encoder_hidden_states", F, ["batch_size", "sequence_length", "32"]),
             ("timestep_cond", F, ["batch_size", "32"])],
            [("out_sample", F, ["batch_size", "4", "height", "width"])]);
        using var unet = Json(folder, "unet/config.json");
        Assert.Equal(32, unet.RootElement.GetProperty("time_cond_proj_dim").GetInt32());
        using var scheduler = Json(folder, "scheduler/scheduler_config.json");
        Assert.Equal("LCMScheduler", scheduler.RootElement.GetProperty("_class_name").GetString());
        Assert.Equal(50, scheduler.RootElement.GetProperty("original_inference_steps").GetInt32());
        using var index = Json(folder, "model_index.json");
        Assert.Equal("LatentConsistencyModelPipeline", index.RootElement.GetProperty("_class_name").GetString());
    }

    [Fact]
    public void Sdxl_preset_has_sdxl_base_parameter_counts()
    {
        var counts = StableDiffusionModelGenerator.CountParameters(ModelPreset.Sdxl, ModelVariant.Default);

        // Reference: stabilityai/stable-diffusion-xl-base-1.0: UNet2DConditionModel 2,567,463,684 parameters; text_encoder
        // (CLIPTextModel, ViT-L) 123,060,480; text_encoder_2 (CLIPTextModelWithProjection, OpenCLIP bigG) 694,659,840.
        Assert.Equal(2_567_463_684, counts["unet"]);
        Assert.Equal(123_060_480, counts["text_encoder"]);
        Assert.Equal(694_659_840, counts["text_encoder_2"]);
    }

    private static (string Name, TensorElementType Type, string[] Dims)[] Inputs(params (string Name, TensorElementType Type, string[] Dims)[] inputs) => inputs;

    private static IEnumerable<(string Name, TensorElementType Type, string[] Dims)> HiddenStates(int layers, string width) =>
        Enumerable.Range(0, layers + 1).Select(i => ($"hidden_states.{i}", F, new[] { "batch_size", "sequence_length", width }));

    private static void AssertSignature(string folder, string component, (string Name, TensorElementType Type, string[] Dims)[] inputs, (string Name, TensorElementType Type, string[] Dims)[] outputs)
    {
        using var session = OrtRunner.Open(Path.Combine(folder, component, "model.onnx"));
        Assert.Equal(inputs.Select(i => i.Name).ToArray(), session.InputNames.ToArray());
        Assert.Equal(outputs.Select(o => o.Name).ToArray(), session.OutputNames.ToArray());
        foreach (var (name, type, expected) in inputs.Concat(outputs))
        {
            var metadata = session.InputMetadata.TryGetValue(name, out var input) ? input : session.OutputMetadata[name];
            var dims = metadata.Dimensions.Select((d, i) => d >= 0 ? d.ToString(CultureInfo.InvariantCulture) : metadata.SymbolicDimensions[i]).ToArray();
            Assert.True(type == metadata.ElementDataType, $"{component}/{name}: expected {type}, got {metadata.ElementDataType}");
            Assert.True(expected.SequenceEqual(dims), $"{component}/{name}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", dims)}]");
        }
    }

    private static JsonDocument Json(string folder, string relative) => JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, relative)));
}
