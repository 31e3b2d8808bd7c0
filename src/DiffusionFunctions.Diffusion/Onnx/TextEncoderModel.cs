using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>
/// A CLIP text encoder: <c>input_ids</c> (int32 or int64) [batch, sequence] → <c>last_hidden_state</c> [batch, sequence, hidden],
/// and, in SDXL exports (Optimum exports SDXL's encoders with <c>output_hidden_states</c>), every layer's
/// <c>hidden_states.N</c>, plus <c>text_embeds</c> [batch, projection] from <c>CLIPTextModelWithProjection</c> (text_encoder_2).
/// </summary>
public sealed class TextEncoderModel
{
    /// <summary>The input name.</summary>
    public const string InputIdsName = "input_ids";

    /// <summary>The output name.</summary>
    public const string LastHiddenStateName = "last_hidden_state";

    /// <summary>The projected pooled output of <c>CLIPTextModelWithProjection</c> (SDXL's text_encoder_2).</summary>
    public const string TextEmbedsName = "text_embeds";

    /// <summary>The prefix of the per-layer hidden state outputs (<c>hidden_states.0</c> is the embeddings).</summary>
    public const string HiddenStatesPrefix = "hidden_states.";

    internal TextEncoderModel(OnnxModelPart part)
    {
        Part = part;
        var ids = part.RequireInput(InputIdsName, [2], TensorElementType.Int32, TensorElementType.Int64);
        part.RejectUnknownInputs(InputIdsName);
        var hidden = part.RequireOutput(LastHiddenStateName, [3], TensorElementType.Float, TensorElementType.Float16);
        InputIdsType = ids.ElementType;
        SequenceLength = ids.FixedDimension(1);
        HiddenSize = hidden.FixedDimension(2);
        var layers = part.Outputs
            .Select(o => o.Name.StartsWith(HiddenStatesPrefix, StringComparison.Ordinal)
                && int.TryParse(o.Name.AsSpan(HiddenStatesPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : -1)
            .Where(n => n >= 0)
            .ToList();
        if (layers.Count > 0 && layers.Max() >= 1)
        {
            // diffusers' hidden_states[-2]: the output of the next-to-last layer.
            var penultimate = part.RequireOutput(HiddenStatesPrefix + (layers.Max() - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), [3], TensorElementType.Float, TensorElementType.Float16);
            PenultimateStateName = penultimate.Name;
            PenultimateHiddenSize = penultimate.FixedDimension(2);
        }

        if (part.FindOutput(TextEmbedsName) is not null)
        {
            var pooled = part.RequireOutput(TextEmbedsName, [2], TensorElementType.Float, TensorElementType.Float16);
            ProjectionSize = pooled.FixedDimension(1);
            HasTextEmbeds = true;
        }
    }

    /// <summary>The name of the next-to-last layer's output (<c>hidden_states.{L-1}</c>), or null when the export has no per-layer outputs.</summary>
    public string? PenultimateStateName { get; }

    /// <summary>The width of the penultimate states, if fixed in the metadata.</summary>
    public int? PenultimateHiddenSize { get; }

    /// <summary>Whether the encoder outputs the projected pooled <c>text_embeds</c>.</summary>
    public bool HasTextEmbeds { get; }

    /// <summary>The width of <c>text_embeds</c>, if fixed in the metadata.</summary>
    public int? ProjectionSize { get; }

    /// <summary>The session and its metadata.</summary>
    public OnnxModelPart Part { get; }

    /// <summary>int32 or int64.</summary>
    public TensorElementType InputIdsType { get; }

    /// <summary>The fixed sequence length if the export fixes it.</summary>
    public int? SequenceLength { get; }

    /// <summary>The text state width (768 for SD 1.x, 1024 for SD 2.x) if fixed in the metadata.</summary>
    public int? HiddenSize { get; }

    /// <summary>Encodes <paramref name="batch"/> rows of token ids; returns the hidden states as float32 and their width.</summary>
    internal float[] Encode(OrtRunScope scope, ReadOnlySpan<int> ids, int batch, out int hiddenSize) =>
        Encode(scope, ids, batch, LastHiddenStateName, pooled: false, out hiddenSize, out _);

    /// <summary>
    /// Encodes <paramref name="batch"/> rows; returns the output <paramref name="stateName"/> as float32 and, when
    /// <paramref name="pooled"/> is set, the rows of <c>text_embeds</c>.
    /// </summary>
    internal float[] Encode(OrtRunScope scope, ReadOnlySpan<int> ids, int batch, string stateName, bool pooled, out int hiddenSize, out float[]? textEmbeds)
    {
        var sequence = ids.Length / batch;
        long[] shape = [batch, sequence];
        using var input = InputIdsType == TensorElementType.Int64
            ? OrtValue.CreateTensorValueFromMemory(ToInt64(ids), shape)
            : OrtValue.CreateTensorValueFromMemory(ids.ToArray(), shape);
        string[] outputNames = pooled ? [stateName, TextEmbedsName] : [stateName];
        using var outputs = scope.Invoke(options => Part.Session.Run(options, [InputIdsName], [input], outputNames));
        var states = FloatTensorBuffer.ToFloatArray(outputs[0]);
        hiddenSize = states.Length / (batch * sequence);
        textEmbeds = pooled ? FloatTensorBuffer.ToFloatArray(outputs[1]) : null;
        return states;
    }

    private static long[] ToInt64(ReadOnlySpan<int> ids)
    {
        var result = new long[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            result[i] = ids[i];
        }

        return result;
    }
}
