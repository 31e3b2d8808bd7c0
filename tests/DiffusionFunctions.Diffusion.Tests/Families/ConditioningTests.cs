using System.Text.Json;
using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Pipeline;
using DiffusionFunctions.ModelGeneration;
using Microsoft.ML.OnnxRuntime;

namespace DiffusionFunctions.Diffusion.Tests.Families;

/// <summary>
/// What each family feeds the UNet, recorded at the UNet call and compared with values computed here the way diffusers
/// computes them: SDXL's concatenated penultimate states and pooled text_embeds (run on the encoders' own sessions),
/// time_ids values and order, the zeros-for-empty-prompt rule, the LCM guidance embedding, and the batch (no CFG batch
/// for Turbo and LCM).
/// </summary>
public sealed class ConditioningTests(FamilyModels models) : IClassFixture<FamilyModels>
{
    private const string Prompt = "a red circle";

    [Fact]
    public async Task Sdxl_time_ids_are_original_size_crop_and_target_size_for_both_halves_of_the_cfg_batch()
    {
        var calls = await RecordAsync(ModelPreset.SdxlTiny, new GenerationSettings { Prompt = Prompt, Width = 96, Height = 64, Steps = 2, Count = 2, GuidanceScale = 5 });

        Assert.Equal(2, calls.Count);
        var timeIds = calls[0]["time_ids"];
        Assert.Equal([4, 6], timeIds.Shape);

        // diffusers: list(original_size + crops_coords_top_left + target_size), sizes as (height, width), crop (0, 0).
        float[] row = [64, 96, 0, 0, 64, 96];
        Assert.Equal([.. row, .. row, .. row, .. row], timeIds.Values);
    }

    [Fact]
    public async Task Refiner_time_ids_carry_the_aesthetic_scores_negative_rows_first()
    {
        var calls = await RecordAsync(ModelPreset.SdxlRefinerTiny, new GenerationSettings { Prompt = Prompt, NegativePrompt = "blurry", Width = 64, Height = 80, Steps = 1, GuidanceScale = 5 });

        var timeIds = calls[0]["time_ids"];
        Assert.Equal([2, 5], timeIds.Shape);
        Assert.Equal([80, 64, 0, 0, 2.5f, 80, 64, 0, 0, 6.0f], timeIds.Values);
        Assert.Equal([2, 77, 64], calls[0]["encoder_hidden_states"].Shape);
    }

    [Fact]
    public async Task Sdxl_states_are_both_encoders_penultimate_layers_and_the_pooled_embedding_is_encoder_2s_projection()
    {
        var model = models[ModelPreset.SdxlTiny];
        var calls = await RecordAsync(ModelPreset.SdxlTiny, new GenerationSettings { Prompt = Prompt, NegativePrompt = "blurry", Width = 64, Height = 64, Steps = 1, GuidanceScale = 5 });

        var folder = await FamilyModels.FolderAsync(ModelPreset.SdxlTiny);
        var (states1, _) = RunEncoder(folder, "text_encoder", model.Tokenizers[0].Encode(Prompt).Ids);
        var (states2, pooled) = RunEncoder(folder, "text_encoder_2", model.Tokenizers[1].Encode(Prompt).Ids);
        var (negative1, _) = RunEncoder(folder, "text_encoder", model.Tokenizers[0].Encode("blurry").Ids);
        var (negative2, negativePooled) = RunEncoder(folder, "text_encoder_2", model.Tokenizers[1].Encode("blurry").Ids);

        var states = calls[0]["encoder_hidden_states"];
        Assert.Equal([2, 77, 96], states.Shape);
        Assert.Equal(Concat(negative1, 32, negative2, 64), states.Values[..(77 * 96)]);
        Assert.Equal(Concat(states1, 32, states2, 64), states.Values[(77 * 96)..]);

        var textEmbeds = calls[0]["text_embeds"];
        Assert.Equal([2, 32], textEmbeds.Shape);
        Assert.Equal(negativePooled!, textEmbeds.Values[..32]);
        Assert.Equal(pooled!, textEmbeds.Values[32..]);
    }

    [Fact]
    public async Task Long_and_weighted_prompts_work_across_both_encoders()
    {
        var model = models[ModelPreset.SdxlTiny];
        var longPrompt = string.Join(", ", Enumerable.Repeat("a red circle on a blue square", 12));
        var calls = await RecordAsync(ModelPreset.SdxlTiny, new GenerationSettings { Prompt = longPrompt, NegativePrompt = "blurry", Width = 64, Height = 64, Steps = 1, GuidanceScale = 5 });

        // Two 77-token chunks per text, both encoders' widths side by side.
        Assert.Equal([2, 154, 96], calls[0]["encoder_hidden_states"].Shape);

        // The pooled embedding is text_encoder_2's projection of the first chunk.
        var firstChunk = DiffusionFunctions.Diffusion.Prompting.PromptTokenizer.Tokenize(model.Tokenizers[1], longPrompt).ChunkIds[0];
        var (_, pooled) = RunEncoder(await FamilyModels.FolderAsync(ModelPreset.SdxlTiny), "text_encoder_2", firstChunk);
        Assert.Equal(pooled!, calls[0]["text_embeds"].Values[32..]);

        // Emphasis changes both encoders' states but not the pooled embedding.
        var plain = await RecordAsync(ModelPreset.SdxlTiny, new GenerationSettings { Prompt = "a red circle", NegativePrompt = "blurry", Width = 64, Height = 64, Steps = 1, GuidanceScale = 5 });
        var weighted = await RecordAsync(ModelPreset.SdxlTiny, new GenerationSettings { Prompt = "a (red:1.6) circle", NegativePrompt = "blurry", Width = 64, Height = 64, Steps = 1, GuidanceScale = 5 });
        var plainStates = plain[0]["encoder_hidden_states"].Values[(77 * 96)..];
        var weightedStates = weighted[0]["encoder_hidden_states"].Values[(77 * 96)..];
        var redPosition = 2;
        Assert.NotEqual(plainStates.AsSpan(redPosition * 96, 32).ToArray(), weightedStates.AsSpan(redPosition * 96, 32).ToArray());
        Assert.NotEqual(plainStates.AsSpan((redPosition * 96) + 32, 64).ToArray(), weightedStates.AsSpan((redPosition * 96) + 32, 64).ToArray());
        Assert.Equal(plain[0]["text_embeds"].Values, weighted[0]["text_embeds"].Values);
    }

    [Fact]
    public async Task Sdxl_gives_the_same_pixels_with_and_without_io_binding()
    {
        var folder = await FamilyModels.FolderAsync(ModelPreset.SdxlTiny);
        var settings = new GenerationSettings { Prompt = Prompt, Width = 64, Height = 64, Steps = 2, Seed = 5, Count = 2 };
        using var bound = StableDiffusionModel.Load(folder, new DiffusionEngineOptions { Provider = ExecutionProviderKind.Cpu, IntraOpThreads = 1, UseIoBinding = true });
        var withBinding = await new StableDiffusionPipeline(bound).RunAsync(settings);
        var without = await new StableDiffusionPipeline(models[ModelPreset.SdxlTiny]).RunAsync(settings);

        Assert.True(bound.UsesIoBinding);
        Assert.Equal(without.Images[1].Image.Pixels, withBinding.Images[1].Image.Pixels);
    }

    [Fact]
    public async Task An_empty_negative_prompt_is_zeros_when_force_zeros_for_empty_prompt_is_set()
    {
        var empty = await RecordAsync(ModelPreset.SdxlTiny, new GenerationSettings { Prompt = Prompt, Width = 64, Height = 64, Steps = 1, GuidanceScale = 5 });
        Assert.All(empty[0]["encoder_hidden_states"].Values[..(77 * 96)], v => Assert.Equal(0f, v));
        Assert.All(empty[0]["text_embeds"].Values[..32], v => Assert.Equal(0f, v));
        Assert.Contains(empty[0]["text_embeds"].Values[32..], v => v != 0f);

        // The refiner's config says false: the empty text is encoded.
        var refiner = await RecordAsync(ModelPreset.SdxlRefinerTiny, new GenerationSettings { Prompt = Prompt, Width = 64, Height = 64, Steps = 1, GuidanceScale = 5 });
        Assert.Contains(refiner[0]["text_embeds"].Values[..32], v => v != 0f);

        // And so is the base's when model_index.json turns the flag off.
        using var copy = await FamilyModels.CopyAsync(ModelPreset.SdxlTiny);
        var indexPath = Path.Combine(copy.Path, "model_index.json");
        File.WriteAllText(indexPath, File.ReadAllText(indexPath).Replace("\"force_zeros_for_empty_prompt\": true", "\"force_zeros_for_empty_prompt\": false", StringComparison.Ordinal));
        using var model = StableDiffusionModel.Load(copy.Path, TinyModelFixtureOptions.Cpu);
        Assert.False(model.Family.ZerosForEmptyNegativePrompt);
        var calls = new List<IReadOnlyDictionary<string, UnetInputRecord>>();
        await new StableDiffusionPipeline(model) { UnetInputObserver = calls.Add }.RunAsync(new GenerationSettings { Prompt = Prompt, Width = 64, Height = 64, Steps = 1, GuidanceScale = 5 });
        Assert.Contains(calls[0]["text_embeds"].Values[..32], v => v != 0f);
    }

    [Fact]
    public async Task Turbo_runs_no_cfg_batch_and_takes_its_defaults_from_the_folder()
    {
        var turbo = await RecordAsync(ModelPreset.SdxlTurboTiny, new GenerationSettings { Prompt = Prompt, Steps = 1, Count = 2, Width = 64, Height = 64 });
        var result = await new StableDiffusionPipeline(models[ModelPreset.SdxlTurboTiny]).RunAsync(new GenerationSettings { Prompt = Prompt, Steps = 1, Count = 2, Width = 64, Height = 64 });
        var full = await RecordAsync(ModelPreset.SdxlTiny, new GenerationSettings { Prompt = Prompt, Steps = 1, Count = 2, Width = 64, Height = 64 });

        Assert.Single(turbo);
        Assert.Equal(2, turbo[0]["sample"].Shape[0]);
        Assert.Equal(2, turbo[0]["text_embeds"].Shape[0]);
        Assert.Equal((2, 1), (result.UnetBatchSize, result.UnetCalls));
        Assert.Equal(4, full[0]["sample"].Shape[0]);

        // Trailing spacing: one step starts at the last training timestep.
        Assert.Equal(999f, turbo[0]["timestep"].Values[0]);

        // img2img needs steps x strength >= 1.
        var pipeline = new StableDiffusionPipeline(models[ModelPreset.SdxlTurboTiny]);
        var init = Imaging.TestImages.Gradient(32, 32);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => pipeline.RunAsync(new GenerationSettings { Prompt = Prompt, Steps = 1, InitImage = init, Strength = 0.5 }));
        Assert.Contains("Steps 1 with Strength 0.5", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await pipeline.RunAsync(new GenerationSettings { Prompt = Prompt, Steps = 2, InitImage = init, Strength = 0.5 })).StepsRun);
    }

    [Fact]
    public async Task Lcm_feeds_the_guidance_embedding_as_diffusers_computes_it_and_runs_no_cfg_batch()
    {
        var calls = await RecordAsync(ModelPreset.LcmTiny, new GenerationSettings { Prompt = Prompt, Steps = 4, Count = 1, Width = 64, Height = 64, GuidanceScale = 8.5 });

        Assert.Equal(4, calls.Count);
        Assert.Equal(1, calls[0]["sample"].Shape[0]);
        var cond = calls[0]["timestep_cond"];
        Assert.Equal([1, 32], cond.Shape);
        var expected = DiffusersGuidanceEmbedding(8.5, 32);
        for (var i = 0; i < 32; i++)
        {
            Assert.Equal(expected[i], cond.Values[i], 3);
        }

        // Guidance 1: w = 0, so the sines are 0 and the cosines 1.
        var unit = await RecordAsync(ModelPreset.LcmTiny, new GenerationSettings { Prompt = Prompt, Steps = 1, Width = 64, Height = 64, GuidanceScale = 1 });
        Assert.Equal([.. Enumerable.Repeat(0f, 16), .. Enumerable.Repeat(1f, 16)], unit[0]["timestep_cond"].Values);
    }

    [Fact]
    public void Guidance_embedding_matches_the_formula_golden_values()
    {
        // get_guidance_scale_embedding(w = 2 - 1, dim 8): w' = 1000, half 4, f = exp(-i ln(10000) / 3) = 1, 0.0464159, 0.00215443, 0.0001.
        var embedding = Diffusion.Families.GuidanceEmbedding.Compute(2, 8);
        double[] f = [1, 0.046415888336127795, 0.0021544346900318843, 0.0001];
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(Math.Sin(1000 * f[i]), embedding[i], 3);
            Assert.Equal(Math.Cos(1000 * f[i]), embedding[4 + i], 3);
        }
    }

    // diffusers' get_guidance_scale_embedding in float32: w = (g - 1) * 1000; emb = exp(arange(half) * -(ln 10000 / (half - 1))).
    private static float[] DiffusersGuidanceEmbedding(double guidance, int dim)
    {
        var w = (float)(guidance - 1) * 1000f;
        var half = dim / 2;
        var scale = (float)Math.Log(10000.0) / (half - 1);
        var sines = new List<float>();
        var cosines = new List<float>();
        foreach (var i in Enumerable.Range(0, half))
        {
            var argument = w * (float)Math.Exp(i * -scale);
            sines.Add((float)Math.Sin(argument));
            cosines.Add((float)Math.Cos(argument));
        }

        return [.. sines, .. cosines];
    }

    private async Task<List<IReadOnlyDictionary<string, UnetInputRecord>>> RecordAsync(ModelPreset preset, GenerationSettings settings)
    {
        var calls = new List<IReadOnlyDictionary<string, UnetInputRecord>>();
        await models.Recording(preset, calls).RunAsync(settings);
        return calls;
    }

    // Runs a text encoder's own session on one row of ids: the penultimate layer's states (hidden_states.{layers - 1}, the
    // layer count read from its config.json) and text_embeds when the encoder has a projection.
    private static (float[] States, float[]? Pooled) RunEncoder(string folder, string part, int[] ids)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, part, "config.json")));
        var layers = config.RootElement.GetProperty("num_hidden_layers").GetInt32();
        var projection = config.RootElement.GetProperty("architectures")[0].GetString() == "CLIPTextModelWithProjection";
        using var session = new InferenceSession(Path.Combine(folder, part, "model.onnx"));
        using var input = OrtValue.CreateTensorValueFromMemory(ids, [1, ids.Length]);
        string[] outputs = projection ? [$"hidden_states.{layers - 1}", "text_embeds"] : [$"hidden_states.{layers - 1}"];
        using var results = session.Run(new RunOptions(), ["input_ids"], [input], outputs);
        return (results[0].GetTensorDataAsSpan<float>().ToArray(), projection ? results[1].GetTensorDataAsSpan<float>().ToArray() : null);
    }

    private static float[] Concat(float[] a, int widthA, float[] b, int widthB)
    {
        var positions = a.Length / widthA;
        var result = new List<float>();
        for (var p = 0; p < positions; p++)
        {
            result.AddRange(a.AsSpan(p * widthA, widthA).ToArray());
            result.AddRange(b.AsSpan(p * widthB, widthB).ToArray());
        }

        return [.. result];
    }
}
