using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Pipeline;
using DiffusionFunctions.Diffusion.Tests.Imaging;
using DiffusionFunctions.Diffusion.Tests.Onnx;
using DiffusionFunctions.ModelGeneration;

namespace DiffusionFunctions.Diffusion.Tests.Pipeline;

public sealed class VariantTests
{
    private static readonly GenerationSettings Settings = new() { Prompt = "a (red:1.2) car", Steps = 2, Seed = 3, Width = 64, Height = 64, Scheduler = "euler" };

    public static TheoryData<ModelVariant> Variants() =>
    [
        new ModelVariant { Fp16 = true, Timestep = TimestepForm.Float16Batch },
        new ModelVariant { InputIdsInt64 = true, Timestep = TimestepForm.Int64Batch },
        new ModelVariant { Timestep = TimestepForm.Scalar, VaeEncoderOutput = VaeEncoderOutput.LatentSample },
        new ModelVariant { Fp16 = true, Timestep = TimestepForm.Scalar, InpaintingUnet = true },
        new ModelVariant { Sd2 = true, ExternalWeights = true, ExternalWeightsFileName = "weights.pb" },
        new ModelVariant { IncludeVaeEncoder = false, IncludeSafetyChecker = true, SafetyCheckerRedThreshold = 2f },
    ];

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Every_generator_variant_runs_through_the_pipeline(ModelVariant variant)
    {
        using var model = StableDiffusionModel.Load(await ModelFolders.TinyAsync(variant), TinyModelFixture.CpuOptions);
        var pipeline = new StableDiffusionPipeline(model);
        var settings = variant.InpaintingUnet || !variant.IncludeVaeEncoder
            ? Settings
            : Settings with { InitImage = TestImages.Gradient(64, 64), Strength = 0.5, Steps = 4 };
        if (variant.InpaintingUnet)
        {
            settings = settings with { InitImage = TestImages.Gradient(64, 64), Mask = TestImages.Gradient(64, 64), Strength = 1.0 };
        }

        var first = await pipeline.RunAsync(settings);
        var second = await pipeline.RunAsync(settings);

        var bindingOptions = new DiffusionEngineOptions { Provider = ExecutionProviderKind.Cpu, IntraOpThreads = 1, UseIoBinding = true };
        using var boundModel = StableDiffusionModel.Load(model.Directory, bindingOptions);
        var bound = await new StableDiffusionPipeline(boundModel).RunAsync(settings);

        var image = Assert.Single(first.Images);
        Assert.Equal(image.Image.Pixels, bound.Images[0].Image.Pixels);
        Assert.Equal((64, 64), (image.Image.Width, image.Image.Height));
        Assert.Equal(2, first.StepsRun);
        Assert.Equal(image.Image.Pixels, second.Images[0].Image.Pixels);
        Assert.Contains(image.Image.Pixels, b => b != image.Image.Pixels[0]); // not a flat image
    }

    [Fact]
    public async Task The_safety_checker_withholds_a_flagged_image_and_reports_it()
    {
        var flagging = new ModelVariant { IncludeSafetyChecker = true, SafetyCheckerRedThreshold = -1f };
        using var model = StableDiffusionModel.Load(await ModelFolders.TinyAsync(flagging), TinyModelFixture.CpuOptions);

        var result = await new StableDiffusionPipeline(model).RunAsync(Settings with { Count = 2 });

        Assert.Empty(result.Images);
        Assert.Equal([0, 1], result.WithheldIndices);
        Assert.Equal(2, result.WithheldCount);
    }
}
