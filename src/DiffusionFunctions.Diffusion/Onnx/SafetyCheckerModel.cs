using DiffusionFunctions.Diffusion.Imaging;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>
/// The safety checker: <c>clip_input</c> [batch, 3, 224, 224] (CLIP-normalised) and <c>images</c> [batch, H, W, 3] in [0, 1]
/// → <c>out_images</c> and <c>has_nsfw_concepts</c> bool [batch]. The CLIP input is made by <see cref="Preprocessor"/>, read from
/// the folder's <c>feature_extractor/preprocessor_config.json</c>, as diffusers' pipeline makes it with CLIPImageProcessor.
/// </summary>
public sealed class SafetyCheckerModel
{
    /// <summary>The CLIP input name.</summary>
    public const string ClipInputName = "clip_input";

    /// <summary>The image input name.</summary>
    public const string ImagesName = "images";

    /// <summary>The flag output name.</summary>
    public const string HasNsfwConceptsName = "has_nsfw_concepts";

    private static readonly string[] OutputNames = [HasNsfwConceptsName];

    internal SafetyCheckerModel(OnnxModelPart part, ClipImageProcessor preprocessor)
    {
        Part = part;
        Preprocessor = preprocessor;
        ClipInputType = part.RequireInput(ClipInputName, [4], TensorElementType.Float, TensorElementType.Float16).ElementType;
        ImagesType = part.RequireInput(ImagesName, [4], TensorElementType.Float, TensorElementType.Float16).ElementType;
        part.RejectUnknownInputs(ClipInputName, ImagesName);
        part.RequireOutput(HasNsfwConceptsName, [1], TensorElementType.Bool);
    }

    /// <summary>The session and its metadata.</summary>
    public OnnxModelPart Part { get; }

    /// <summary>How an image becomes the CLIP input (the folder's CLIPImageProcessor settings).</summary>
    public ClipImageProcessor Preprocessor { get; }

    /// <summary>float32 or float16.</summary>
    public TensorElementType ClipInputType { get; }

    /// <summary>float32 or float16.</summary>
    public TensorElementType ImagesType { get; }

    /// <summary>Checks one image (8-bit, and the same in [0, 1] NHWC); returns whether it is flagged.</summary>
    internal bool Check(OrtRunScope scope, RgbImage image, ReadOnlySpan<float> imageNhwc, int height, int width)
    {
        using var clip = new FloatTensorBuffer([1, 3, Preprocessor.OutputHeight(image), Preprocessor.OutputWidth(image)], ClipInputType);
        clip.Write(Preprocessor.Process(image));
        using var images = new FloatTensorBuffer([1, height, width, 3], ImagesType);
        images.Write(imageNhwc);
        using var outputs = scope.Invoke(options => Part.Session.Run(options, [ClipInputName, ImagesName], [clip.Value, images.Value], OutputNames));
        return outputs[0].GetTensorDataAsSpan<bool>()[0];
    }
}
