using Microsoft.ML.OnnxRuntime.Tensors;

namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>
/// The denoising UNet: <c>sample</c> [batch, 4 or 9, h, w], <c>timestep</c> (int64, float32 or float16; [batch] or a scalar),
/// <c>encoder_hidden_states</c> [batch, sequence, hidden] → <c>out_sample</c> [batch, 4, h, w].
/// </summary>
public sealed class UnetModel
{
    /// <summary>The latent input name.</summary>
    public const string SampleName = "sample";

    /// <summary>The timestep input name.</summary>
    public const string TimestepName = "timestep";

    /// <summary>The text state input name.</summary>
    public const string EncoderHiddenStatesName = "encoder_hidden_states";

    /// <summary>The output name.</summary>
    public const string OutSampleName = "out_sample";

    private readonly string _timestepAxisName;

    internal UnetModel(OnnxModelPart part)
    {
        Part = part;
        var sample = part.RequireInput(SampleName, [4], TensorElementType.Float, TensorElementType.Float16);
        var timestep = part.RequireInput(TimestepName, [0, 1], TensorElementType.Int64, TensorElementType.Float, TensorElementType.Float16);
        var text = part.RequireInput(EncoderHiddenStatesName, [3], TensorElementType.Float, TensorElementType.Float16);
        part.RejectUnknownInputs(SampleName, TimestepName, EncoderHiddenStatesName);
        part.RequireOutput(OutSampleName, [4], TensorElementType.Float, TensorElementType.Float16);
        var channels = sample.FixedDimension(1) ?? 4;
        if (channels is not (4 or 9))
        {
            throw new ModelFolderException($"{part.DisplayPath}: input '{SampleName}' has {channels} channels; expected 4 (standard) or 9 (inpainting).");
        }

        InChannels = channels;
        SampleType = sample.ElementType;
        TimestepType = timestep.ElementType;
        TimestepIsScalar = timestep.Rank == 0;
        TimestepFixedLength = timestep.Rank == 1 ? timestep.FixedDimension(0) : null;
        _timestepAxisName = timestep.Rank == 1 && timestep.SymbolicDimensions.Count == 1 && timestep.SymbolicDimensions[0].Length > 0
            ? timestep.SymbolicDimensions[0] : "batch";
        TextStatesType = text.ElementType;
        HiddenSize = text.FixedDimension(2);
    }

    /// <summary>The session and its metadata.</summary>
    public OnnxModelPart Part { get; }

    /// <summary>4 for a standard UNet, 9 for an inpainting UNet (latents + mask + masked-image latents).</summary>
    public int InChannels { get; }

    /// <summary>Whether this is a 9-channel inpainting UNet.</summary>
    public bool IsInpainting => InChannels == 9;

    /// <summary>float32 or float16.</summary>
    public TensorElementType SampleType { get; }

    /// <summary>int64, float32 or float16.</summary>
    public TensorElementType TimestepType { get; }

    /// <summary>Whether the timestep is a scalar (rank 0) rather than a [batch] vector.</summary>
    public bool TimestepIsScalar { get; }

    /// <summary>A fixed timestep vector length (some exports fix it at 1), if any.</summary>
    public int? TimestepFixedLength { get; }

    /// <summary>float32 or float16.</summary>
    public TensorElementType TextStatesType { get; }

    /// <summary>The text state width the UNet expects, if fixed.</summary>
    public int? HiddenSize { get; }

    /// <summary>Describes the timestep form with its axis name: <c>int64[batch]</c>, <c>float32[steps]</c>, <c>float16 scalar</c>.</summary>
    public string TimestepForm => TensorTypes.Describe(TimestepType)
        + (TimestepIsScalar ? " scalar" : TimestepFixedLength is { } n ? $"[{n}]" : $"[{_timestepAxisName}]");
}
