using DiffusionFunctions.Diffusion.Imaging;
using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Pipeline;
using DiffusionFunctions.Diffusion.Tests.Pipeline;
using DiffusionFunctions.ModelGeneration;

namespace DiffusionFunctions.Diffusion.Tests.Onnx;

/// <summary>The safety checker's preprocessing comes from the folder's <c>feature_extractor/preprocessor_config.json</c>.</summary>
public sealed class FeatureExtractorConfigTests
{
    private static readonly ModelVariant WithChecker = new() { IncludeSafetyChecker = true, SafetyCheckerRedThreshold = 2f };

    [Fact]
    public async Task A_generated_folder_reads_its_config_and_one_without_gets_stable_diffusion_1_values()
    {
        using var folder = await ModelFolders.CopyOfTinyAsync(WithChecker);
        using (var model = StableDiffusionModel.Load(folder.Path, TinyModelFixture.CpuOptions))
        {
            Assert.Equal(ClipImageProcessor.StableDiffusionDefault with { Mean = model.SafetyChecker!.Preprocessor.Mean, Std = model.SafetyChecker.Preprocessor.Std }, model.SafetyChecker.Preprocessor);
            Assert.Equal([0.48145466, 0.4578275, 0.40821073], model.SafetyChecker.Preprocessor.Mean);
        }

        File.Delete(Path.Combine(folder.Path, FeatureExtractorConfig.RelativePath));
        using var fallback = StableDiffusionModel.Load(folder.Path, TinyModelFixture.CpuOptions);
        Assert.Same(ClipImageProcessor.StableDiffusionDefault, fallback.SafetyChecker!.Preprocessor);
    }

    [Fact]
    public async Task Size_crop_mean_std_resample_and_rescale_come_from_the_file()
    {
        using var folder = await ModelFolders.CopyOfTinyAsync(WithChecker);
        File.WriteAllText(Path.Combine(folder.Path, FeatureExtractorConfig.RelativePath), """
            {"crop_size": 224, "do_center_crop": true, "do_normalize": true, "do_resize": true, "do_rescale": true,
             "image_mean": [0.5, 0.5, 0.5], "image_std": [0.25, 0.5, 1.0], "resample": 2, "rescale_factor": 0.002,
             "size": {"shortest_edge": 256}}
            """);

        using var model = StableDiffusionModel.Load(folder.Path, TinyModelFixture.CpuOptions);
        var processor = model.SafetyChecker!.Preprocessor;
        var result = await new StableDiffusionPipeline(model).RunAsync(new GenerationSettings { Prompt = "a cat", Steps = 1, Width = 64, Height = 96, Seed = 3, Scheduler = "euler" });

        Assert.Equal((256, 384), processor.ResizedSize(result.Images[0].Image));
        Assert.Equal(PilResampleFilter.Bilinear, processor.Resample);
        Assert.Equal(0.002, processor.RescaleFactor);
        Assert.Equal([0.5, 0.5, 0.5], processor.Mean);
        Assert.Equal([0.25, 0.5, 1.0], processor.Std);
        Assert.Single(result.Images);

        // A white pixel: 255 × 0.002 = 0.51, then (0.51 − 0.5) / std.
        var white = processor.Process(new RgbImage(300, 300, Enumerable.Repeat((byte)255, 300 * 300 * 3).ToArray()));
        Assert.Equal(3 * 224 * 224, white.Length);
        Assert.Equal([0.04f, 0.02f, 0.01f], [white[0], white[224 * 224], white[2 * 224 * 224]], new FloatTolerance(1e-5f));
    }

    [Theory]
    [InlineData("{\"resample\": 0}", "resample")]
    [InlineData("{\"image_std\": [0.2, 0, 0.3]}", "image_std")]
    [InlineData("{\"size\": {\"longest\": 3}}", "size")]
    [InlineData("{\"do_resize\": \"yes\"}", "do_resize")]
    [InlineData("not json", "not valid JSON")]
    public async Task A_bad_value_names_the_file_and_key(string json, string named)
    {
        using var folder = await ModelFolders.CopyOfTinyAsync(WithChecker);
        var path = Path.Combine(folder.Path, FeatureExtractorConfig.RelativePath);
        File.WriteAllText(path, json);

        var ex = Assert.Throws<ModelFolderException>(() => StableDiffusionModel.Load(folder.Path, TinyModelFixture.CpuOptions).Dispose());

        Assert.Contains("preprocessor_config.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
