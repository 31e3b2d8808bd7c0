using Microsoft.ML.OnnxRuntime.Tensors;

namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>A model input or output as the session's metadata declares it: name, element type and dimensions (-1 where symbolic).</summary>
/// <param name="Name">The tensor name.</param>
/// <param name="ElementType">The element type.</param>
/// <param name="Dimensions">The dimensions; -1 (or 0 from some exporters) marks a symbolic axis.</param>
/// <param name="SymbolicDimensions">The symbolic axis names ("" for fixed axes).</param>
public sealed record TensorSpec(string Name, TensorElementType ElementType, IReadOnlyList<int> Dimensions, IReadOnlyList<string> SymbolicDimensions)
{
    /// <summary>The number of axes.</summary>
    public int Rank => Dimensions.Count;

    /// <summary>The size of axis <paramref name="axis"/>, or <see langword="null"/> when it is symbolic.</summary>
    public int? FixedDimension(int axis) => Dimensions[axis] > 0 ? Dimensions[axis] : null;

    /// <summary>Formats as <c>name: float32[batch,4,h,w]</c>.</summary>
    public override string ToString()
    {
        var dims = Dimensions.Select((d, i) => d > 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : SymbolicDimensions.Count > i && SymbolicDimensions[i].Length > 0 ? SymbolicDimensions[i] : "?");
        return $"{Name}: {TensorTypes.Describe(ElementType)}[{string.Join(',', dims)}]";
    }
}
