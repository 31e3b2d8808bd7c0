namespace DiffusionFunctions.ModelGeneration.Tests;

/// <summary>The generated safety checker's documented rule: mean red channel above the threshold flags the image.</summary>
public sealed class SafetyCheckerTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Flags_images_whose_mean_red_exceeds_the_threshold_and_blacks_them_out(bool fp16)
    {
        var dir = await GeneratedModelCache.GetTinyAsync(new ModelVariant { IncludeSafetyChecker = true, SafetyCheckerRedThreshold = 0.5f, Fp16 = fp16 });
        using var session = OrtRunner.Open(Path.Combine(dir, "safety_checker", "model.onnx"));

        // Image 0: red 0.75 everywhere (flagged); image 1: red 0.25 (passes). NHWC, 16x16.
        const int Size = 16;
        using var clip = OrtRunner.Input(session, "clip_input", [2, 3, 224, 224], i => Math.Sin(i * 0.01));
        using var images = OrtRunner.Input(session, "images", [2, Size, Size, 3], i =>
        {
            var image = i / (Size * Size * 3);
            return (i % 3) == 0 ? (image == 0 ? 0.75 : 0.25) : 0.5;
        });
        var outputs = OrtRunner.Run(session, new Dictionary<string, Microsoft.ML.OnnxRuntime.OrtValue> { ["clip_input"] = clip, ["images"] = images });

        Assert.Equal([1f, 0f], outputs["has_nsfw_concepts"].Values);
        Assert.Equal([2L, Size, Size, 3], outputs["out_images"].Shape);
        var perImage = Size * Size * 3;
        Assert.All(outputs["out_images"].Values.Take(perImage), v => Assert.Equal(0f, v));
        Assert.Equal(0.25f, outputs["out_images"].Values[perImage]);
        Assert.Equal(0.5f, outputs["out_images"].Values[perImage + 1]);
    }

    [Theory]
    [InlineData(2f, 0f)]
    [InlineData(-1f, 1f)]
    public async Task Threshold_outside_zero_to_one_gives_a_fixed_verdict(float threshold, float expected)
    {
        var dir = await GeneratedModelCache.GetTinyAsync(new ModelVariant { IncludeSafetyChecker = true, SafetyCheckerRedThreshold = threshold });
        using var session = OrtRunner.Open(Path.Combine(dir, "safety_checker", "model.onnx"));
        using var clip = OrtRunner.Input(session, "clip_input", [1, 3, 224, 224], _ => 0);
        using var images = OrtRunner.Input(session, "images", [1, 8, 8, 3], i => (i % 7) / 7.0);

        var outputs = OrtRunner.Run(session, new Dictionary<string, Microsoft.ML.OnnxRuntime.OrtValue> { ["clip_input"] = clip, ["images"] = images });

        Assert.Equal([expected], outputs["has_nsfw_concepts"].Values);
    }
}

/// <summary>The default threshold lets ordinary images through and stops strongly red ones.</summary>
public sealed class SafetyCheckerDefaultTests
{
    [Fact]
    public async Task Default_threshold_flags_only_strongly_red_images()
    {
        Assert.Equal(0.9f, ModelVariant.Default.SafetyCheckerRedThreshold);
        var dir = await GeneratedModelCache.GetTinyAsync(new ModelVariant { IncludeSafetyChecker = true });
        using var session = OrtRunner.Open(Path.Combine(dir, "safety_checker", "model.onnx"));
        using var clip = OrtRunner.Input(session, "clip_input", [2, 3, 224, 224], _ => 0);
        using var images = OrtRunner.Input(session, "images", [2, 4, 4, 3], i => (i % 3) == 0 ? (i < 48 ? 0.6 : 0.95) : 0.1);

        var outputs = OrtRunner.Run(session, new Dictionary<string, Microsoft.ML.OnnxRuntime.OrtValue> { ["clip_input"] = clip, ["images"] = images });

        Assert.Equal([0f, 1f], outputs["has_nsfw_concepts"].Values);
    }
}
