using Microsoft.ML.OnnxRuntime.Tensors;

namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>
/// The VAE encoder: <c>sample</c> [batch, 3, H, W] in [-1, 1] → either <c>latent_sample</c> [batch, 4, h, w] (already sampled)
/// or <c>latent_parameters</c> [batch, 8, h, w] (mean and log-variance, sampled by the pipeline with the seeded generator).
/// </summary>
public sealed class VaeEncoderModel
{
    /// <summary>The input name.</summary>
    public const string SampleName = "sample";

    /// <summary>The sampled-latent output name.</summary>
    public const string LatentSampleName = "latent_sample";

    /// <summary>The distribution-parameters output name.</summary>
    public const string LatentParametersName = "latent_parameters";

    internal VaeEncoderModel(OnnxModelPart part)
    {
        Part = part;
        SampleType = part.RequireInput(SampleName, [4], TensorElementType.Float, TensorElementType.Float16).ElementType;
        part.RejectUnknownInputs(SampleName);
        if (part.FindOutput(LatentParametersName) is not null)
        {
            part.RequireOutput(LatentParametersName, [4], TensorElementType.Float, TensorElementType.Float16);
            OutputName = LatentParametersName;
        }
        else if (part.FindOutput(LatentSampleName) is not null)
        {
            part.RequireOutput(LatentSampleName, [4], TensorElementType.Float, TensorElementType.Float16);
            OutputName = LatentSampleName;
        }
        else
        {
            throw new ModelFolderException(
                $"{part.DisplayPath}: no output '{LatentSampleName}' or '{LatentParametersName}' (the model's outputs are {string.Join(", ", part.Outputs.Select(o => "'" + o.Name + "'"))}).");
        }
    }

    /// <summary>The session and its metadata.</summary>
    public OnnxModelPart Part { get; }

    /// <summary>float32 or float16.</summary>
    public TensorElementType SampleType { get; }

    /// <summary><see cref="LatentSampleName"/> or <see cref="LatentParametersName"/>.</summary>
    public string OutputName { get; }

    /// <summary>Whether the encoder returns mean and log-variance (8 channels) to be sampled.</summary>
    public bool OutputsParameters => OutputName == LatentParametersName;

    /// <summary>Encodes one image [1, 3, H, W] in [-1, 1]; returns the raw output (4 or 8 channels) as float32.</summary>
    internal float[] Encode(OrtRunScope scope, ReadOnlySpan<float> image, int height, int width)
    {
        using var input = new FloatTensorBuffer([1, 3, height, width], SampleType);
        input.Write(image);
        string[] outputNames = [OutputName];
        using var outputs = scope.Invoke(options => Part.Session.Run(options, [SampleName], [input.Value], outputNames));
        return FloatTensorBuffer.ToFloatArray(outputs[0]);
    }
}
