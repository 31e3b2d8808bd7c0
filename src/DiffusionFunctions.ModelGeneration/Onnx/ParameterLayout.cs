namespace DiffusionFunctions.ModelGeneration.Onnx;

/// <summary>How a parameter's PyTorch layout maps onto the ONNX initializer.</summary>
internal enum ParameterLayout
{
    /// <summary>Same element order (the ONNX dims may still differ, e.g. a norm gain <c>[C]</c> stored as <c>[C, 1, 1]</c>).</summary>
    AsIs,

    /// <summary>A linear weight <c>[out, in]</c> stored as <c>[in, out]</c> for <c>MatMul</c>, as torch.onnx exports it.</summary>
    TransposedMatrix,
}
