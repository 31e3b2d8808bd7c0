namespace DiffusionFunctions.ModelGeneration.Tests;

/// <summary>The UNet upsamples to each skip's size, so any latent size works (images in multiples of 8, as the pipeline allows).</summary>
public sealed class UnetShapeTests
{
    [Theory]
    [InlineData(10, 6)]
    [InlineData(7, 9)]
    [InlineData(1, 1)]
    public async Task Unet_accepts_latent_sizes_that_are_not_multiples_of_its_downsampling(int height, int width)
    {
        var dir = await GeneratedModelCache.GetTinyAsync();
        using var session = OrtRunner.Open(Path.Combine(dir, "unet", "model.onnx"));
        using var sample = OrtRunner.Input(session, "sample", [1, 4, height, width], i => Math.Sin(i * 0.37));
        using var timestep = OrtRunner.Input(session, "timestep", [1], _ => 500);
        using var context = OrtRunner.Input(session, "encoder_hidden_states", [1, 77, 32], i => Math.Cos(i * 0.11));

        var outputs = OrtRunner.Run(session, new Dictionary<string, Microsoft.ML.OnnxRuntime.OrtValue>
        {
            ["sample"] = sample,
            ["timestep"] = timestep,
            ["encoder_hidden_states"] = context,
        });

        Assert.Equal([1L, 4, height, width], outputs["out_sample"].Shape);
        Assert.All(outputs["out_sample"].Values, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public async Task Vae_decoder_scales_latents_by_eight_and_depends_on_them()
    {
        var dir = await GeneratedModelCache.GetTinyAsync();
        using var session = OrtRunner.Open(Path.Combine(dir, "vae_decoder", "model.onnx"));
        using var a = OrtRunner.Input(session, "latent_sample", [1, 4, 5, 3], i => Math.Sin(i * 0.7));
        using var b = OrtRunner.Input(session, "latent_sample", [1, 4, 5, 3], i => Math.Cos(i * 0.3));

        var first = OrtRunner.Run(session, new Dictionary<string, Microsoft.ML.OnnxRuntime.OrtValue> { ["latent_sample"] = a })["sample"];
        var second = OrtRunner.Run(session, new Dictionary<string, Microsoft.ML.OnnxRuntime.OrtValue> { ["latent_sample"] = b })["sample"];

        Assert.Equal([1L, 3, 40, 24], first.Shape);
        var meanAbsoluteDifference = first.Values.Zip(second.Values, (x, y) => Math.Abs(x - y)).Average();
        Assert.True(meanAbsoluteDifference > 0.01, $"decoded images barely depend on the latents (mean |diff| {meanAbsoluteDifference})");
    }
}
