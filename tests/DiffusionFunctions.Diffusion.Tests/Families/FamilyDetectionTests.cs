using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.ModelGeneration;

namespace DiffusionFunctions.Diffusion.Tests.Families;

/// <summary>The family is detected from model_index.json's class name (diffusers', Optimum's ORT and Onnx names) and the parts present.</summary>
public sealed class FamilyDetectionTests
{
    [Theory]
    [InlineData("StableDiffusionXLPipeline", ModelPreset.SdxlTiny, "sdxl")]
    [InlineData("ORTStableDiffusionXLPipeline", ModelPreset.SdxlTiny, "sdxl")]
    [InlineData("StableDiffusionXLInpaintPipeline", ModelPreset.SdxlTiny, "sdxl")]
    [InlineData("ORTStableDiffusionXLImg2ImgPipeline", ModelPreset.SdxlRefinerTiny, "sdxl-refiner")]
    [InlineData("ORTLatentConsistencyModelPipeline", ModelPreset.LcmTiny, "sd")]
    [InlineData("ORTStableDiffusionPipeline", ModelPreset.SdTurboTiny, "sd")]
    public async Task The_class_name_and_parts_give_the_family(string className, ModelPreset preset, string family)
    {
        using var copy = await FamilyModels.CopyAsync(preset);
        var indexPath = Path.Combine(copy.Path, "model_index.json");
        var index = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(indexPath))!;
        index["_class_name"] = className;
        File.WriteAllText(indexPath, index.ToJsonString());

        using var model = StableDiffusionModel.Load(copy.Path, TinyModelFixtureOptions.Cpu);

        Assert.Equal(family, model.Family.Name);
        Assert.Equal(className, model.PipelineClassName);
    }
}
