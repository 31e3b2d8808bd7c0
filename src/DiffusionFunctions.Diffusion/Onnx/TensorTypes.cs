using Microsoft.ML.OnnxRuntime.Tensors;

namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>ONNX element type names as the ONNX specification writes them (float32, float16, int64 ...).</summary>
public static class TensorTypes
{
    /// <summary>The ONNX name of <paramref name="type"/>.</summary>
    public static string Describe(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Float16 => "float16",
        TensorElementType.Double => "float64",
        TensorElementType.BFloat16 => "bfloat16",
        TensorElementType.Int32 => "int32",
        TensorElementType.Int64 => "int64",
        TensorElementType.Bool => "bool",
        TensorElementType.UInt8 => "uint8",
        TensorElementType.Int8 => "int8",
        _ => type.ToString().ToLowerInvariant(),
    };
}
