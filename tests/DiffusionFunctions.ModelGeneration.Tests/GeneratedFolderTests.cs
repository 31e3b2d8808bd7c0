using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DiffusionFunctions.ModelGeneration.Tests;

/// <summary>Each tiny variant: the folder layout, the ONNX signatures (Optimum's names, types and symbolic axes), and a forward run on real ORT sessions.</summary>
public sealed class GeneratedFolderTests
{
    public static TheoryData<string> Variants => TinyVariants.Names();

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Folder_has_every_file_of_the_layout(string name)
    {
        var variant = TinyVariants.ByName[name];
        var dir = await GeneratedModelCache.GetTinyAsync(variant);

        var expected = new List<string>
        {
            "model_index.json", "scheduler/scheduler_config.json",
            "tokenizer/vocab.json", "tokenizer/merges.txt", "tokenizer/tokenizer_config.json", "tokenizer/special_tokens_map.json",
            "text_encoder/model.onnx", "text_encoder/config.json",
            "unet/model.onnx", "unet/config.json",
            "vae_decoder/model.onnx", "vae_decoder/config.json",
        };
        if (variant.IncludeVaeEncoder)
        {
            expected.AddRange(["vae_encoder/model.onnx", "vae_encoder/config.json"]);
        }

        if (variant.IncludeSafetyChecker)
        {
            expected.AddRange(["safety_checker/model.onnx", "feature_extractor/preprocessor_config.json"]);
        }

        if (variant.ExternalWeights)
        {
            expected.Add($"unet/{variant.ExternalWeightsFileName}");
        }

        var actual = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(expected.Order(StringComparer.Ordinal).ToArray(), actual);

        var index = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "model_index.json")))!;
        Assert.Equal("OnnxStableDiffusionPipeline", (string?)index["_class_name"]);
        Assert.Equal("OnnxRuntimeModel", (string?)index["unet"]![1]);
        Assert.Equal("PNDMScheduler", (string?)index["scheduler"]![1]);
        Assert.Equal("CLIPTokenizer", (string?)index["tokenizer"]![1]);
        Assert.Equal(variant.IncludeVaeEncoder ? "OnnxRuntimeModel" : null, (string?)index["vae_encoder"]![1]);
        Assert.Equal(variant.IncludeSafetyChecker ? "OnnxRuntimeModel" : null, (string?)index["safety_checker"]![1]);

        var scheduler = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "scheduler", "scheduler_config.json")))!;
        Assert.Equal(1000, (int)scheduler["num_train_timesteps"]!);
        Assert.Equal(0.00085, (double)scheduler["beta_start"]!);
        Assert.Equal(0.012, (double)scheduler["beta_end"]!);
        Assert.Equal("scaled_linear", (string?)scheduler["beta_schedule"]);
        Assert.True((bool)scheduler["skip_prk_steps"]!);
        Assert.Equal(1, (int)scheduler["steps_offset"]!);
        Assert.False((bool)scheduler["set_alpha_to_one"]!);
        Assert.Equal(variant.Sd2 ? "v_prediction" : "epsilon", (string?)scheduler["prediction_type"]);
        Assert.Equal("leading", (string?)scheduler["timestep_spacing"]);

        var unet = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "unet", "config.json")))!;
        Assert.Equal(variant.InpaintingUnet ? 9 : 4, (int)unet["in_channels"]!);
        Assert.Equal(8, (int)unet["sample_size"]!);
        Assert.Equal(variant.Sd2 ? 64 : 32, (int)unet["cross_attention_dim"]!);

        var vae = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "vae_decoder", "config.json")))!;
        Assert.Equal(0.18215, (double)vae["scaling_factor"]!, 6);
        Assert.Equal(4, (int)vae["latent_channels"]!);

        var tokenizerConfig = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "tokenizer", "tokenizer_config.json")))!;
        Assert.Equal(variant.Sd2 ? "!" : "<|endoftext|>", (string?)tokenizerConfig["pad_token"]);
        var vocab = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "tokenizer", "vocab.json")))!.AsObject();
        Assert.Equal(49408, vocab.Count);
        Assert.Equal(49406, (int)vocab["<|startoftext|>"]!);
        Assert.Equal(49407, (int)vocab["<|endoftext|>"]!);
        Assert.Equal(0, (int)vocab["!"]!);
        Assert.Equal(256, (int)vocab["!</w>"]!);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Sessions_declare_the_optimum_signatures(string name)
    {
        var variant = TinyVariants.ByName[name];
        var dir = await GeneratedModelCache.GetTinyAsync(variant);
        foreach (var (component, expected) in OptimumSignatures.For(variant))
        {
            using var session = OrtRunner.Open(Path.Combine(dir, component, "model.onnx"));
            Assert.Equal(expected.Inputs.Keys.ToArray(), session.InputNames.ToArray());
            Assert.Equal(expected.Outputs.Keys.ToArray(), session.OutputNames.ToArray());
            foreach (var (tensor, signature) in expected.Inputs.Concat(expected.Outputs))
            {
                var metadata = session.InputMetadata.TryGetValue(tensor, out var input) ? input : session.OutputMetadata[tensor];
                var dims = metadata.Dimensions.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : metadata.SymbolicDimensions[i]).ToArray();
                Assert.True(signature.ElementType == metadata.ElementDataType, $"{component}/{tensor}: expected {signature.ElementType}, got {metadata.ElementDataType}");
                Assert.True(signature.Dims.SequenceEqual(dims), $"{component}/{tensor}: expected [{string.Join(", ", signature.Dims)}], got [{string.Join(", ", dims)}]");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Forward_runs_give_finite_outputs_of_the_right_shape(string name)
    {
        var variant = TinyVariants.ByName[name];
        var dir = await GeneratedModelCache.GetTinyAsync(variant);
        var hidden = variant.Sd2 ? 64 : 32;

        // Text encoder: two prompts "<start> a b <end> <pad>..." of 77 tokens.
        using (var session = OrtRunner.Open(Path.Combine(dir, "text_encoder", "model.onnx")))
        {
            using var ids = OrtRunner.Input(session, "input_ids", [2, 77], i => (i % 77) switch { 0 => 49406, 1 => 320 + (i / 77), 2 => 1125, 3 => 49407, _ => variant.Sd2 ? 0 : 49407 });
            var outputs = OrtRunner.Run(session, new Dictionary<string, Microsoft.ML.OnnxRuntime.OrtValue> { ["input_ids"] = ids });
            AssertTensor(outputs["last_hidden_state"], [2, 77, hidden]);
            AssertTensor(outputs["pooler_output"], [2, hidden]);

            // The pooled state is the end token's state (position 3 in both rows).
            var last = outputs["last_hidden_state"].Values;
            var pooled = outputs["pooler_output"].Values;
            Assert.Equal(last.Skip(3 * hidden).Take(hidden), pooled.Take(hidden));
        }

        // UNet: batch 2 at 8x8 latents (64x64 images).
        var inChannels = variant.InpaintingUnet ? 9 : 4;
        using (var session = OrtRunner.Open(Path.Combine(dir, "unet", "model.onnx")))
        {
            var timestepShape = variant.Timestep == TimestepForm.Scalar ? Array.Empty<long>() : [2];
            using var sample = OrtRunner.Input(session, "sample", [2, inChannels, 8, 8], i => Math.Sin(i * 0.37));
            using var timestep = OrtRunner.Input(session, "timestep", timestepShape, _ => 981);
            using var context = OrtRunner.Input(session, "encoder_hidden_states", [2, 77, hidden], i => Math.Cos(i * 0.11));
            var outputs = OrtRunner.Run(session, new Dictionary<string, Microsoft.ML.OnnxRuntime.OrtValue>
            {
                ["sample"] = sample,
                ["timestep"] = timestep,
                ["encoder_hidden_states"] = context,
            });
            AssertTensor(outputs["out_sample"], [2, 4, 8, 8]);
        }

        // VAE decoder: 8x8 latents -> 64x64 RGB in [-1, 1].
        using (var session = OrtRunner.Open(Path.Combine(dir, "vae_decoder", "model.onnx")))
        {
            using var latent = OrtRunner.Input(session, "latent_sample", [1, 4, 8, 8], i => 3 * Math.Sin(i * 0.7));
            var outputs = OrtRunner.Run(session, new Dictionary<string, Microsoft.ML.OnnxRuntime.OrtValue> { ["latent_sample"] = latent });
            AssertTensor(outputs["sample"], [1, 3, 64, 64]);
            Assert.All(outputs["sample"].Values, v => Assert.InRange(v, -1f, 1f));
        }

        if (variant.IncludeVaeEncoder)
        {
            using var session = OrtRunner.Open(Path.Combine(dir, "vae_encoder", "model.onnx"));
            using var image = OrtRunner.Input(session, "sample", [1, 3, 64, 64], i => Math.Sin(i * 0.013));
            var outputs = OrtRunner.Run(session, new Dictionary<string, Microsoft.ML.OnnxRuntime.OrtValue> { ["sample"] = image });
            var output = variant.VaeEncoderOutput == VaeEncoderOutput.LatentParameters ? "latent_parameters" : "latent_sample";
            AssertTensor(outputs[output], [1, variant.VaeEncoderOutput == VaeEncoderOutput.LatentParameters ? 8 : 4, 8, 8]);
        }
    }

    private static void AssertTensor((long[] Shape, float[] Values) tensor, long[] shape)
    {
        Assert.Equal(shape, tensor.Shape);
        Assert.All(tensor.Values, v => Assert.True(float.IsFinite(v), "non-finite output"));
        Assert.True(tensor.Values.Max() - tensor.Values.Min() > 1e-3f, "the output is constant");
    }
}
