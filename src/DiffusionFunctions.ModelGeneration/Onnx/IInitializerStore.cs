using Onnx;

namespace DiffusionFunctions.ModelGeneration.Onnx;

/// <summary>Where a parameter's bytes go: inside the protobuf, or streamed to an external data file.</summary>
internal interface IInitializerStore
{
    /// <summary>Attaches <paramref name="data"/> (little-endian raw bytes) to <paramref name="tensor"/>.</summary>
    void Store(TensorProto tensor, byte[] data);

    /// <summary>Bytes written outside the protobuf so far.</summary>
    long ExternalBytes { get; }
}
