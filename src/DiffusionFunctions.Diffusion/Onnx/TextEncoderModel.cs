using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>The CLIP text encoder: <c>input_ids</c> (int32 or int64) [batch, sequence] → <c>last_hidden_state</c> [batch, sequence, hidden].</summary>
public sealed class TextEncoderModel
{
    /// <summary>The input name.</summary>
    public const string InputIdsName = "input_ids";

    /// <summary>The output name.</summary>
    public const string LastHiddenStateName = "last_hidden_state";

    private static readonly string[] OutputNames = [LastHiddenStateName];

    internal TextEncoderModel(OnnxModelPart part)
    {
        Part = part;
        var ids = part.RequireInput(InputIdsName, [2], TensorElementType.Int32, TensorElementType.Int64);
        part.RejectUnknownInputs(InputIdsName);
        var hidden = part.RequireOutput(LastHiddenStateName, [3], TensorElementType.Float, TensorElementType.Float16);
        InputIdsType = ids.ElementType;
        SequenceLength = ids.FixedDimension(1);
        HiddenSize = hidden.FixedDimension(2);
    }

    /// <summary>The session and its metadata.</summary>
    public OnnxModelPart Part { get; }

    /// <summary>int32 or int64.</summary>
    public TensorElementType InputIdsType { get; }

    /// <summary>The fixed sequence length if the export fixes it.</summary>
    public int? SequenceLength { get; }

    /// <summary>The text state width (768 for SD 1.x, 1024 for SD 2.x) if fixed in the metadata.</summary>
    public int? HiddenSize { get; }

    /// <summary>Encodes <paramref name="batch"/> rows of token ids; returns the hidden states as float32 and their width.</summary>
    internal float[] Encode(OrtRunScope scope, ReadOnlySpan<int> ids, int batch, out int hiddenSize)
    {
        var sequence = ids.Length / batch;
        long[] shape = [batch, sequence];
        using var input = InputIdsType == TensorElementType.Int64
            ? OrtValue.CreateTensorValueFromMemory(ToInt64(ids), shape)
            : OrtValue.CreateTensorValueFromMemory(ids.ToArray(), shape);
        using var outputs = scope.Invoke(options => Part.Session.Run(options, [InputIdsName], [input], OutputNames));
        var states = FloatTensorBuffer.ToFloatArray(outputs[0]);
        hiddenSize = states.Length / (batch * sequence);
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
