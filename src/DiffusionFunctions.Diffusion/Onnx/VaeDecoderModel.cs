using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>The VAE decoder: <c>latent_sample</c> [batch, 4, h, w] → <c>sample</c> [batch, 3, H, W] in [-1, 1].</summary>
public sealed class VaeDecoderModel
{
    /// <summary>The input name.</summary>
    public const string LatentSampleName = "latent_sample";

    /// <summary>The output name.</summary>
    public const string SampleName = "sample";

    private static readonly string[] OutputNames = [SampleName];

    internal VaeDecoderModel(OnnxModelPart part)
    {
        Part = part;
        LatentType = part.RequireInput(LatentSampleName, [4], TensorElementType.Float, TensorElementType.Float16).ElementType;
        part.RejectUnknownInputs(LatentSampleName);
        part.RequireOutput(SampleName, [4], TensorElementType.Float, TensorElementType.Float16);
    }

    /// <summary>The session and its metadata.</summary>
    public OnnxModelPart Part { get; }

    /// <summary>float32 or float16.</summary>
    public TensorElementType LatentType { get; }

    /// <summary>Decodes one latent [1, 4, h, w] (already divided by the scaling factor) into [1, 3, H, W] float32.</summary>
    internal float[] Decode(OrtRunScope scope, ReadOnlySpan<float> latent, int latentHeight, int latentWidth)
    {
        using var input = new FloatTensorBuffer([1, 4, latentHeight, latentWidth], LatentType);
        input.Write(latent);
        using var outputs = scope.Invoke(options => Part.Session.Run(options, [LatentSampleName], [input.Value], OutputNames));
        return FloatTensorBuffer.ToFloatArray(outputs[0]);
    }
}
