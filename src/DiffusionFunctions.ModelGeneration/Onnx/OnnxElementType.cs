namespace DiffusionFunctions.ModelGeneration.Onnx;

/// <summary>The ONNX <c>TensorProto.DataType</c> codes the generator uses.</summary>
internal static class OnnxElementType
{
    public const int Float = 1;
    public const int Int32 = 6;
    public const int Int64 = 7;
    public const int Bool = 9;
    public const int Float16 = 10;
}
