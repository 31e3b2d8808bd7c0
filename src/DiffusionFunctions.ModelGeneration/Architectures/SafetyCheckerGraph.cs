using DiffusionFunctions.ModelGeneration.Onnx;
using DiffusionFunctions.ModelGeneration.Weights;

namespace DiffusionFunctions.ModelGeneration.Architectures;

/// <summary>
/// A safety checker with the Optimum export's signature (<c>clip_input</c> NCHW, <c>images</c> NHWC →
/// <c>out_images</c>, <c>has_nsfw_concepts</c> bool) and a documented, deterministic rule instead of CLIP concept
/// embeddings: see <see cref="SafetyCheckerConfig"/>. Flagged images come back as zeros, as diffusers blacks them out.
/// </summary>
internal static class SafetyCheckerGraph
{
    public static void Build(OnnxGraphBuilder g, SafetyCheckerConfig config)
    {
        var clipInput = g.Input("clip_input", g.FloatType, "batch_size", 3, 224, 224);
        var images = g.Input("images", g.FloatType, "batch_size", "height", "width", 3);

        // CLIP-style patch embedding, pooled to one number per image and weighted by zero.
        var patchWeight = g.Parameter(
            "vision_model.embeddings.patch_embedding.weight",
            [config.Width, 3, config.PatchSize, config.PatchSize],
            WeightInit.FanIn(3L * config.PatchSize * config.PatchSize));
        var patches = g.Op(
            "Conv",
            [clipInput, patchWeight],
            OnnxAttribute.Ints("kernel_shape", config.PatchSize, config.PatchSize),
            OnnxAttribute.Ints("strides", config.PatchSize, config.PatchSize));
        var embedding = g.Op("ReduceMean", [patches], OnnxAttribute.Ints("axes", 1, 2, 3), OnnxAttribute.Int("keepdims", 0));
        var conceptScore = g.Op("Mul", [embedding, g.Scalar(0f)]);

        // The rule: mean red channel > threshold.
        var red = g.Op("Slice", [images, g.Ints(0), g.Ints(1), g.Ints(3)]);
        var meanRed = g.Op("ReduceMean", [red], OnnxAttribute.Ints("axes", 1, 2, 3), OnnxAttribute.Int("keepdims", 0));
        var score = g.Op("Add", [meanRed, conceptScore]);
        var flagged = g.Op("Greater", [score, g.Scalar(config.RedThreshold)]);

        var perImage = g.Op("Unsqueeze", [flagged, g.Ints(1, 2, 3)]);
        var blacked = g.Op("Where", [perImage, g.Scalar(0f), images]);

        g.Output(blacked, "out_images", g.FloatType, "batch_size", "height", "width", 3);
        g.Output(flagged, "has_nsfw_concepts", OnnxElementType.Bool, "batch_size");
    }
}
