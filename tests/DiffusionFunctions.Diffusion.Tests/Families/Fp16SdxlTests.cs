using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Pipeline;
using DiffusionFunctions.Diffusion.Tests.Onnx;
using DiffusionFunctions.ModelGeneration;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DiffusionFunctions.Diffusion.Tests.Families;

/// <summary>An fp16 SDXL export: float16 text_embeds/time_ids are fed, and a float16 VAE under force_upcast is warned about at load.</summary>
public sealed class Fp16SdxlTests
{
    [Fact]
    public async Task An_fp16_sdxl_folder_runs_and_its_fp16_vae_under_force_upcast_is_warned_about()
    {
        var folder = await GeneratedModelCache.GetPresetAsync(ModelPreset.SdxlTiny, new ModelVariant { Fp16 = true, Timestep = TimestepForm.Float16Batch });
        var logger = new CapturingLogger();
        using var model = StableDiffusionModel.Load(folder, TinyModelFixtureOptions.Cpu, logger);

        Assert.Equal(TensorElementType.Float16, model.Unet.TextEmbeds!.ElementType);
        Assert.Equal(TensorElementType.Float16, model.Unet.TimeIds!.ElementType);
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("vae_decoder/model.onnx takes float16 'latent_sample'", warning.Message, StringComparison.Ordinal);
        Assert.Contains("force_upcast", warning.Message, StringComparison.Ordinal);

        var calls = new List<IReadOnlyDictionary<string, UnetInputRecord>>();
        var result = await new StableDiffusionPipeline(model) { UnetInputObserver = calls.Add }.RunAsync(
            new GenerationSettings { Prompt = "a red circle", Width = 64, Height = 64, Steps = 2, Seed = 1, GuidanceScale = 5 });

        Assert.Single(result.Images);
        Assert.Equal([64, 64, 0, 0, 64, 64, 64, 64, 0, 0, 64, 64], calls[0]["time_ids"].Values);
    }

    [Fact]
    public async Task An_fp32_sdxl_vae_loads_without_the_warning()
    {
        var logger = new CapturingLogger();
        using var model = StableDiffusionModel.Load(await FamilyModels.FolderAsync(ModelPreset.SdxlTiny), TinyModelFixtureOptions.Cpu, logger);

        Assert.True(model.VaeForceUpcast);
        Assert.DoesNotContain(logger.Entries, e => e.Level == LogLevel.Warning);
    }
}
