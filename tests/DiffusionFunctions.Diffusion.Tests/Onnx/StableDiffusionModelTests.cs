using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Pipeline;
using DiffusionFunctions.ModelGeneration;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DiffusionFunctions.Diffusion.Tests.Onnx;

public sealed class StableDiffusionModelTests
{
    private static readonly DiffusionEngineOptions Cpu = new() { Provider = ExecutionProviderKind.Cpu, IntraOpThreads = 1 };

    [Fact]
    public async Task Default_tiny_folder_loads_with_what_its_metadata_declares()
    {
        using var model = StableDiffusionModel.Load(await ModelFolders.TinyAsync(), Cpu);

        Assert.Equal(["text_encoder", "unet", "vae_decoder", "vae_encoder"], model.Parts.Select(p => p.PartName));
        Assert.Equal(ExecutionProviderKind.Cpu, model.ExecutionProvider);
        Assert.False(model.UsesIoBinding);
        Assert.Equal(TensorElementType.Int32, model.TextEncoder.InputIdsType);
        Assert.Equal(4, model.Unet.InChannels);
        Assert.Equal("float32[steps]", model.Unet.TimestepForm);
        Assert.Equal(TensorElementType.Float, model.Unet.SampleType);
        Assert.True(model.VaeEncoder!.OutputsParameters);
        Assert.Null(model.SafetyChecker);
        Assert.Equal(0.18215f, model.VaeScalingFactor);
        Assert.Equal(8, model.VaeScaleFactor);
        Assert.Equal((64, 64), (model.DefaultWidth, model.DefaultHeight));
        Assert.Equal(7.5, model.DefaultGuidanceScale);
        Assert.Equal("PNDMScheduler", model.SchedulerConfig.ClassName);
        Assert.Equal(49406, model.Tokenizer.StartTokenId);
        Assert.Equal("sample: float32[batch_size,4,height,width]", model.Unet.Part.Inputs.Single(i => i.Name == "sample").ToString());
    }

    public static TheoryData<string, ModelVariant> Variants() => new()
    {
        { "int64 ids, int64 timestep", new ModelVariant { InputIdsInt64 = true, Timestep = TimestepForm.Int64Batch } },
        { "fp16, float16 timestep, latent_sample", new ModelVariant { Fp16 = true, Timestep = TimestepForm.Float16Batch, VaeEncoderOutput = VaeEncoderOutput.LatentSample } },
        { "scalar timestep, inpainting, safety checker", new ModelVariant { Timestep = TimestepForm.Scalar, InpaintingUnet = true, IncludeSafetyChecker = true } },
        { "sd2, no vae encoder, external weights", new ModelVariant { Sd2 = true, IncludeVaeEncoder = false, ExternalWeights = true, ExternalWeightsFileName = "weights.pb" } },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Every_export_difference_is_read_from_the_metadata(string description, ModelVariant variant)
    {
        Assert.NotEmpty(description);
        using var model = StableDiffusionModel.Load(await ModelFolders.TinyAsync(variant), Cpu);

        Assert.Equal(variant.InputIdsInt64 ? TensorElementType.Int64 : TensorElementType.Int32, model.TextEncoder.InputIdsType);
        Assert.Equal(variant.Fp16 ? TensorElementType.Float16 : TensorElementType.Float, model.Unet.SampleType);
        var expectedTimestepType = variant.Timestep switch
        {
            TimestepForm.Int64Batch => TensorElementType.Int64,
            TimestepForm.Float16Batch => TensorElementType.Float16,
            TimestepForm.Scalar when variant.Fp16 => TensorElementType.Float16,
            _ => TensorElementType.Float,
        };
        Assert.Equal(expectedTimestepType, model.Unet.TimestepType);
        Assert.Equal(variant.Timestep == TimestepForm.Scalar, model.Unet.TimestepIsScalar);
        Assert.Equal(variant.InpaintingUnet ? 9 : 4, model.Unet.InChannels);
        Assert.Equal(variant.IncludeSafetyChecker, model.SafetyChecker is not null);
        Assert.Equal(variant.IncludeVaeEncoder, model.VaeEncoder is not null);
        if (model.VaeEncoder is not null)
        {
            Assert.Equal(variant.VaeEncoderOutput == VaeEncoderOutput.LatentParameters, model.VaeEncoder.OutputsParameters);
        }

        Assert.Equal(variant.Sd2 ? 64 : 32, model.Unet.HiddenSize);
        Assert.Equal(variant.Sd2 ? global::DiffusionFunctions.Diffusion.Schedulers.PredictionType.VPrediction : global::DiffusionFunctions.Diffusion.Schedulers.PredictionType.Epsilon, model.SchedulerConfig.PredictionType);
    }

    [Fact]
    public async Task Missing_unet_file_fails_at_load_naming_the_file()
    {
        using var folder = await ModelFolders.CopyOfTinyAsync();
        File.Delete(Path.Combine(folder.Path, "unet", "model.onnx"));

        var error = Assert.Throws<ModelFolderException>(() => StableDiffusionModel.Load(folder.Path, Cpu));
        Assert.StartsWith("unet/model.onnx is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_tensor_name_fails_at_load_naming_file_and_tensor()
    {
        using var folder = await ModelFolders.CopyOfTinyAsync();
        File.Copy(Path.Combine(folder.Path, "vae_decoder", "model.onnx"), Path.Combine(folder.Path, "text_encoder", "model.onnx"), overwrite: true);

        var error = Assert.Throws<ModelFolderException>(() => StableDiffusionModel.Load(folder.Path, Cpu));
        Assert.Equal("text_encoder/model.onnx: no input 'input_ids' (the model's inputs are 'latent_sample').", error.Message);
    }

    [Fact]
    public async Task Wrong_dtype_fails_at_load_naming_file_tensor_and_types()
    {
        using var folder = await ModelFolders.CopyOfTinyAsync();
        await File.WriteAllBytesAsync(
            Path.Combine(folder.Path, "vae_decoder", "model.onnx"),
            HandWrittenOnnx.CastModel("latent_sample", HandWrittenOnnx.Double, "sample", "batch", 4, "h", "w"));

        var error = Assert.Throws<ModelFolderException>(() => StableDiffusionModel.Load(folder.Path, Cpu));
        Assert.Equal("vae_decoder/model.onnx: input 'latent_sample' is float64; expected float32 or float16.", error.Message);
    }

    [Fact]
    public async Task Generation_config_sets_the_default_guidance_and_a_bad_one_fails_at_load()
    {
        using var folder = await ModelFolders.CopyOfTinyAsync();
        var path = Path.Combine(folder.Path, "generation_config.json");
        await File.WriteAllTextAsync(path, "{\"guidance_scale\": 2.5}");
        using (var model = StableDiffusionModel.Load(folder.Path, Cpu))
        {
            Assert.Equal(2.5, model.DefaultGuidanceScale);
            var pipeline = new StableDiffusionPipeline(model);
            var settings = new GenerationSettings { Prompt = "a red circle", Steps = 2, Seed = 7, Scheduler = "euler" };
            var byDefault = await pipeline.RunAsync(settings);
            var explicitDefault = await pipeline.RunAsync(settings with { GuidanceScale = 2.5 });
            var other = await pipeline.RunAsync(settings with { GuidanceScale = 7.5 });
            Assert.Equal(2.5, byDefault.Images[0].Parameters.CfgScale);
            Assert.Equal(explicitDefault.Images[0].Image.Pixels, byDefault.Images[0].Image.Pixels);
            Assert.NotEqual(other.Images[0].Image.Pixels, byDefault.Images[0].Image.Pixels);
        }

        await File.WriteAllTextAsync(path, "{\"guidance_rescale\": 0.7}");
        using (var model = StableDiffusionModel.Load(folder.Path, Cpu))
        {
            Assert.Equal((7.5, 0.7), (model.DefaultGuidanceScale, model.DefaultGuidanceRescale));
        }

        await File.WriteAllTextAsync(path, "{\"guidance_rescale\": 1.2}");
        Assert.Equal("generation_config.json: 'guidance_rescale' must be 0-1, not 1.2.",
            Assert.Throws<ModelFolderException>(() => StableDiffusionModel.Load(folder.Path, Cpu)).Message);

        await File.WriteAllTextAsync(path, "{\"guidance_scale\": 51}");
        Assert.Equal("generation_config.json: 'guidance_scale' must be 0-50, not 51.",
            Assert.Throws<ModelFolderException>(() => StableDiffusionModel.Load(folder.Path, Cpu)).Message);

        await File.WriteAllTextAsync(path, "{\"guidance_scale\": \"high\"}");
        Assert.Equal("generation_config.json: 'guidance_scale' must be a number, not String.",
            Assert.Throws<ModelFolderException>(() => StableDiffusionModel.Load(folder.Path, Cpu)).Message);
    }

    [Fact]
    public async Task Missing_model_index_and_scheduler_config_fail_at_load()
    {
        using var folder = await ModelFolders.CopyOfTinyAsync();
        File.Delete(Path.Combine(folder.Path, "scheduler", "scheduler_config.json"));
        Assert.StartsWith("scheduler/scheduler_config.json is missing",
            Assert.Throws<ModelFolderException>(() => StableDiffusionModel.Load(folder.Path, Cpu)).Message, StringComparison.Ordinal);

        File.Delete(Path.Combine(folder.Path, "model_index.json"));
        Assert.StartsWith("model_index.json is missing",
            Assert.Throws<ModelFolderException>(() => StableDiffusionModel.Load(folder.Path, Cpu)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cuda_requested_without_cuda_falls_back_to_cpu_with_exactly_one_warning()
    {
        var logger = new CapturingLogger();
        using var model = StableDiffusionModel.Load(await ModelFolders.TinyAsync(), new DiffusionEngineOptions { Provider = ExecutionProviderKind.Cuda }, logger);

        var warnings = logger.Entries.Where(e => e.Level >= LogLevel.Warning).ToList();
        if (model.ExecutionProvider == ExecutionProviderKind.Cuda)
        {
            Assert.Empty(warnings); // a machine with CUDA 13 + cuDNN 9: no fallback to report
            return;
        }

        var warning = Assert.Single(warnings);
        Assert.Equal(4001, warning.EventId.Id);
        Assert.StartsWith("CUDA execution provider (device 0) could not be loaded; running on CPU.", warning.Message, StringComparison.Ordinal);
        Assert.Equal(ExecutionProviderKind.Cpu, model.ExecutionProvider);
    }

    [Fact]
    public void Invalid_options_are_refused_before_loading()
    {
        var error = Assert.Throws<ArgumentException>(() => StableDiffusionModel.Load("/nonexistent", new DiffusionEngineOptions { IntraOpThreads = -1 }));
        Assert.Equal("DiffusionEngineOptions.IntraOpThreads must be 0 (automatic) or more, not -1.", error.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(75)]
    public void A_comma_backtrack_window_outside_0_to_74_is_refused(int window)
    {
        var error = Assert.Throws<ArgumentException>(() => StableDiffusionModel.Load("/nonexistent", new DiffusionEngineOptions { PromptCommaBacktrack = window }));
        Assert.Equal($"DiffusionEngineOptions.PromptCommaBacktrack must be 0 (off) to 74 tokens, not {window}.", error.Message);
    }

    [Fact]
    public async Task The_comma_backtrack_window_setting_reaches_the_pipeline()
    {
        // 69 words, a comma, 20 more: the default window moves the 20 into chunk 2; window 0 cuts at 75, a different split.
        var prompt = string.Join(' ', Enumerable.Repeat("cat", 69).Append(",").Concat(Enumerable.Repeat("dog", 20)));
        var settings = new GenerationSettings { Prompt = prompt, Steps = 2, Seed = 5, Width = 64, Height = 64, Scheduler = "euler" };
        var folder = await ModelFolders.TinyAsync();
        using var windowed = StableDiffusionModel.Load(folder, new DiffusionEngineOptions { Provider = ExecutionProviderKind.Cpu, IntraOpThreads = 1 });
        using var exact = StableDiffusionModel.Load(folder, new DiffusionEngineOptions { Provider = ExecutionProviderKind.Cpu, IntraOpThreads = 1, PromptCommaBacktrack = 0 });

        var first = await new StableDiffusionPipeline(windowed).RunAsync(settings);
        var second = await new StableDiffusionPipeline(exact).RunAsync(settings);

        Assert.Equal(20, windowed.Options.PromptCommaBacktrack);
        Assert.NotEqual(first.Images[0].Image.Pixels, second.Images[0].Image.Pixels);
    }
}
