namespace DiffusionFunctions.ModelGeneration.Onnx;

/// <summary>The element type of a graph's float tensors and weights (fp16 mirrors Optimum's <c>--fp16</c> export).</summary>
internal enum FloatPrecision
{
    Float32,
    Float16,
}
