using Google.Protobuf;
using Onnx;

namespace DiffusionFunctions.ModelGeneration.Onnx;

/// <summary>Keeps parameter bytes in the tensor's <c>raw_data</c> (the whole model stays one protobuf, under 2 GB).</summary>
internal sealed class InlineInitializerStore : IInitializerStore
{
    public long ExternalBytes => 0;

    public void Store(TensorProto tensor, byte[] data) => tensor.RawData = UnsafeByteOperations.UnsafeWrap(data);
}
