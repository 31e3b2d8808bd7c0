using Onnx;

namespace DiffusionFunctions.ModelGeneration.Onnx;

/// <summary>
/// Streams each parameter to an external data file beside <c>model.onnx</c> as soon as it is produced, so only one
/// tensor is in memory at a time; the protobuf keeps <c>location</c>/<c>offset</c>/<c>length</c> entries, which ONNX
/// Runtime resolves relative to the model file. Large tensors start on 4 KiB boundaries (memory-mappable).
/// </summary>
internal sealed class ExternalDataInitializerStore : IInitializerStore, IDisposable
{
    private const int LargeTensorBytes = 1 << 20;
    private readonly FileStream stream;
    private readonly string location;

    public ExternalDataInitializerStore(string directory, string fileName)
    {
        location = fileName;
        stream = new FileStream(Path.Combine(directory, fileName), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
    }

    public long ExternalBytes => stream.Length;

    public void Store(TensorProto tensor, byte[] data)
    {
        var alignment = data.Length >= LargeTensorBytes ? 4096 : 64;
        var offset = (stream.Position + alignment - 1) / alignment * alignment;
        while (stream.Position < offset)
        {
            stream.WriteByte(0);
        }

        stream.Write(data);
        tensor.DataLocation = TensorProto.Types.DataLocation.External;
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = data.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    public void Dispose() => stream.Dispose();
}
