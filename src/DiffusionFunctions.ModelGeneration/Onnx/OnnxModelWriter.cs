using Onnx;

namespace DiffusionFunctions.ModelGeneration.Onnx;

/// <summary>Wraps a finished graph in a <see cref="ModelProto"/> (IR 8, default-domain opset 17) and writes it.</summary>
internal static class OnnxModelWriter
{
    /// <summary>The default-domain opset of every generated graph (LayerNormalization needs 17; ORT 1.31 runs it).</summary>
    public const long Opset = 17;

    public static long Write(GraphProto graph, string path)
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "DiffusionFunctions.ModelGeneration",
            ProducerVersion = "1",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        Google.Protobuf.MessageExtensions.WriteTo(model, stream);
        stream.Flush();
        return stream.Length;
    }
}
