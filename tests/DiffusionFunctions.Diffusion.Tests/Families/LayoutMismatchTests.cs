using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Tests.Onnx;
using DiffusionFunctions.ModelGeneration;

namespace DiffusionFunctions.Diffusion.Tests.Families;

/// <summary>A folder that mixes layouts fails at load, with a message naming the file and the tensor.</summary>
public sealed class LayoutMismatchTests
{
    [Fact]
    public async Task An_sdxl_index_without_text_encoder_2_names_the_index_and_the_missing_part()
    {
        using var copy = await FamilyModels.CopyAsync(ModelPreset.SdxlTiny);
        Directory.Delete(Path.Combine(copy.Path, "text_encoder_2"), recursive: true);

        var error = Assert.Throws<ModelFolderException>(() => StableDiffusionModel.Load(copy.Path, TinyModelFixtureOptions.Cpu));
        Assert.Contains("text_encoder_2/model.onnx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_sd_folder_with_an_sdxl_unet_names_the_unet_and_text_embeds()
    {
        using var copy = await ModelFolders.CopyOfTinyAsync();
        ReplacePart(copy.Path, "unet", await FamilyModels.FolderAsync(ModelPreset.SdxlTiny));

        var error = Assert.Throws<ModelFolderException>(() => StableDiffusionModel.Load(copy.Path, TinyModelFixtureOptions.Cpu));
        Assert.Contains("unet/model.onnx", error.Message, StringComparison.Ordinal);
        Assert.Contains("'text_embeds'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_sdxl_folder_with_an_sd_unet_names_the_unet_and_text_embeds()
    {
        using var copy = await FamilyModels.CopyAsync(ModelPreset.SdxlTiny);
        ReplacePart(copy.Path, "unet", await ModelFolders.TinyAsync());

        var error = Assert.Throws<ModelFolderException>(() => StableDiffusionModel.Load(copy.Path, TinyModelFixtureOptions.Cpu));
        Assert.Contains("unet/model.onnx", error.Message, StringComparison.Ordinal);
        Assert.Contains("'text_embeds'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_base_folder_with_the_refiner_unet_names_the_state_width_mismatch()
    {
        using var copy = await FamilyModels.CopyAsync(ModelPreset.SdxlTiny);
        ReplacePart(copy.Path, "unet", await FamilyModels.FolderAsync(ModelPreset.SdxlRefinerTiny));

        var error = Assert.Throws<ModelFolderException>(() => StableDiffusionModel.Load(copy.Path, TinyModelFixtureOptions.Cpu));
        Assert.Contains("unet/model.onnx: input 'encoder_hidden_states' expects 64 features", error.Message, StringComparison.Ordinal);
        Assert.Contains("text_encoder_2/model.onnx 'hidden_states.1' (64)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_text_encoder_2_without_a_projection_names_text_embeds()
    {
        using var copy = await FamilyModels.CopyAsync(ModelPreset.SdxlRefinerTiny);
        ReplacePart(copy.Path, "text_encoder_2", await FamilyModels.FolderAsync(ModelPreset.SdxlTiny), "text_encoder");

        var error = Assert.Throws<ModelFolderException>(() => StableDiffusionModel.Load(copy.Path, TinyModelFixtureOptions.Cpu));
        Assert.Contains("text_encoder_2/model.onnx: no output 'text_embeds'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refiner_folder_claiming_the_base_time_ids_fails_on_the_index()
    {
        using var copy = await FamilyModels.CopyAsync(ModelPreset.SdxlRefinerTiny);
        var indexPath = Path.Combine(copy.Path, "model_index.json");
        File.WriteAllText(indexPath, File.ReadAllText(indexPath).Replace("\"requires_aesthetics_score\": true", "\"requires_aesthetics_score\": false", StringComparison.Ordinal));

        var error = Assert.Throws<ModelFolderException>(() => StableDiffusionModel.Load(copy.Path, TinyModelFixtureOptions.Cpu));
        Assert.Contains("model_index.json: requires_aesthetics_score", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_sd_index_with_text_encoder_2_is_refused_as_mixed()
    {
        using var copy = await ModelFolders.CopyOfTinyAsync();
        var sdxl = await FamilyModels.FolderAsync(ModelPreset.SdxlTiny);
        ReplacePart(copy.Path, "text_encoder_2", sdxl);
        ReplacePart(copy.Path, "tokenizer_2", sdxl);

        var error = Assert.Throws<ModelFolderException>(() => StableDiffusionModel.Load(copy.Path, TinyModelFixtureOptions.Cpu));
        Assert.Contains("model_index.json: _class_name 'OnnxStableDiffusionPipeline'", error.Message, StringComparison.Ordinal);
        Assert.Contains("text_encoder_2/", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.5", "generation_config.json: 'num_inference_steps' must be a whole number, not 1.5.")]
    [InlineData("0", "generation_config.json: 'num_inference_steps' must be 1-500, not 0.")]
    public async Task A_bad_default_step_count_names_the_generation_config(string value, string expected)
    {
        using var copy = await FamilyModels.CopyAsync(ModelPreset.SdxlTurboTiny);
        File.WriteAllText(Path.Combine(copy.Path, "generation_config.json"), "{\"guidance_scale\": 0, \"num_inference_steps\": " + value + "}");

        var error = Assert.Throws<ModelFolderException>(() => StableDiffusionModel.Load(copy.Path, TinyModelFixtureOptions.Cpu));
        Assert.Equal(expected, error.Message);
    }

    private static void ReplacePart(string folder, string part, string sourceFolder, string? sourcePart = null)
    {
        var target = Path.Combine(folder, part);
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(sourceFolder, sourcePart ?? part)))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }
}
