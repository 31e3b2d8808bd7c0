namespace DiffusionFunctions.ModelGeneration.Tests;

/// <summary>The fp16 variant is the fp32 model with every float halved, as Optimum's fp16 export: same seed, close outputs.</summary>
public sealed class Fp16ExportTests
{
    [Theory]
    [InlineData("unet")]
    [InlineData("text_encoder")]
    [InlineData("vae_decoder")]
    public async Task Fp16_component_tracks_the_fp32_one_from_the_same_seed(string component)
    {
        var fp32 = await GeneratedModelCache.GetTinyAsync(ModelVariant.Default);
        var fp16 = await GeneratedModelCache.GetTinyAsync(new ModelVariant { Fp16 = true, Timestep = TimestepForm.Float16Batch });

        var reference = RunComponent(Path.Combine(fp32, component, "model.onnx"), component);
        var halved = RunComponent(Path.Combine(fp16, component, "model.onnx"), component);

        Assert.Equal(reference.Length, halved.Length);
        var scale = reference.Max(MathF.Abs);
        var worst = reference.Zip(halved, (a, b) => MathF.Abs(a - b)).Max();
        Assert.True(worst < 0.02f * scale + 0.01f, $"{component}: fp16 differs from fp32 by up to {worst} (output scale {scale})");
    }

    private static float[] RunComponent(string modelPath, string component)
    {
        using var session = OrtRunner.Open(modelPath);
        var inputs = new Dictionary<string, Microsoft.ML.OnnxRuntime.OrtValue>();
        try
        {
            switch (component)
            {
                case "unet":
                    inputs["sample"] = OrtRunner.Input(session, "sample", [1, 4, 8, 8], i => Math.Sin(i * 0.37));
                    inputs["timestep"] = OrtRunner.Input(session, "timestep", [1], _ => 501);
                    inputs["encoder_hidden_states"] = OrtRunner.Input(session, "encoder_hidden_states", [1, 77, 32], i => Math.Cos(i * 0.11));
                    return OrtRunner.Run(session, inputs)["out_sample"].Values;
                case "text_encoder":
                    inputs["input_ids"] = OrtRunner.Input(session, "input_ids", [1, 77], i => i == 0 ? 49406 : i < 5 ? 1000 + i : 49407);
                    return OrtRunner.Run(session, inputs)["last_hidden_state"].Values;
                default:
                    inputs["latent_sample"] = OrtRunner.Input(session, "latent_sample", [1, 4, 8, 8], i => 2 * Math.Sin(i * 0.7));
                    return OrtRunner.Run(session, inputs)["sample"].Values;
            }
        }
        finally
        {
            foreach (var value in inputs.Values)
            {
                value.Dispose();
            }
        }
    }
}
