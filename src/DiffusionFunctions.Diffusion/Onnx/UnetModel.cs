using Microsoft.ML.OnnxRuntime.Tensors;

namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>
/// The denoising UNet: <c>sample</c> [batch, 4 or 9, h, w], <c>timestep</c> (int64, float32 or float16; [batch] or a scalar),
/// <c>encoder_hidden_states</c> [batch, sequence, hidden] → <c>out_sample</c> [batch, 4, h, w]. SDXL UNets (diffusers'
/// <c>addition_embed_type = "text_time"</c>) add <c>text_embeds</c> [batch, projection] and <c>time_ids</c> [batch, 6 or 5];
/// LCM-distilled UNets (<c>time_cond_proj_dim</c>) add <c>timestep_cond</c> [batch, dim], as Optimum's <c>UNetOnnxConfig</c> names them.
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

    /// <summary>SDXL's pooled text embedding input.</summary>
    public const string TextEmbedsName = "text_embeds";

    /// <summary>SDXL's micro-conditioning input.</summary>
    public const string TimeIdsName = "time_ids";

    /// <summary>The LCM guidance embedding input.</summary>
    public const string TimestepCondName = "timestep_cond";

    private readonly string _timestepAxisName;

    internal UnetModel(OnnxModelPart part)
    {
        Part = part;
        var sample = part.RequireInput(SampleName, [4], TensorElementType.Float, TensorElementType.Float16);
        var timestep = part.RequireInput(TimestepName, [0, 1], TensorElementType.Int64, TensorElementType.Float, TensorElementType.Float16);
        var text = part.RequireInput(EncoderHiddenStatesName, [3], TensorElementType.Float, TensorElementType.Float16);
        part.RejectUnknownInputs(SampleName, TimestepName, EncoderHiddenStatesName, TextEmbedsName, TimeIdsName, TimestepCondName);
        TextEmbeds = Optional(part, TextEmbedsName);
        TimeIds = Optional(part, TimeIdsName);
        TimestepCond = Optional(part, TimestepCondName);
        if ((TextEmbeds is null) != (TimeIds is null))
        {
            throw new ModelFolderException(
                $"{part.DisplayPath}: input '{(TextEmbeds is null ? TimeIdsName : TextEmbedsName)}' needs '{(TextEmbeds is null ? TextEmbedsName : TimeIdsName)}' beside it (SDXL's added conditioning has both).");
        }

        if (TimestepCond is not null && TimestepCond.FixedDimension(1) is null)
        {
            throw new ModelFolderException($"{part.DisplayPath}: input '{TimestepCondName}' must fix its second axis (the UNet's time_cond_proj_dim).");
        }
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

    /// <summary>The <c>text_embeds</c> input (SDXL), or null.</summary>
    public TensorSpec? TextEmbeds { get; }

    /// <summary>The <c>time_ids</c> input (SDXL), or null.</summary>
    public TensorSpec? TimeIds { get; }

    /// <summary>The <c>timestep_cond</c> input (LCM guidance embedding), or null.</summary>
    public TensorSpec? TimestepCond { get; }

    /// <summary>Whether the UNet takes SDXL's added conditioning (<c>text_embeds</c> and <c>time_ids</c>).</summary>
    public bool HasAddedConditioning => TextEmbeds is not null;

    /// <summary>Whether the UNet takes a guidance embedding (<c>timestep_cond</c>): guidance goes in there, with no CFG batch.</summary>
    public bool HasGuidanceEmbedding => TimestepCond is not null;

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

    private static TensorSpec? Optional(OnnxModelPart part, string name) =>
        part.Inputs.Any(i => i.Name == name) ? part.RequireInput(name, [2], TensorElementType.Float, TensorElementType.Float16) : null;
}
