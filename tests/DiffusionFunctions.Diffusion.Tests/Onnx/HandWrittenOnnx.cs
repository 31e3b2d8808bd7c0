using System.Text;

namespace DiffusionFunctions.Diffusion.Tests.Onnx;

/// <summary>
/// Writes minimal ONNX models byte by byte (protobuf wire format of onnx.proto), for malformed-folder tests that need a
/// valid model with a wrong tensor element type.
/// </summary>
internal static class HandWrittenOnnx
{
    /// <summary>ONNX TensorProto.DataType values.</summary>
    public const int Float = 1;
    public const int Double = 11;

    /// <summary>A one-node model: <paramref name="input"/> (elemType, dims) → Cast(to=float) → <paramref name="output"/> float.</summary>
    public static byte[] CastModel(string input, int inputType, string output, params object[] dims)
    {
        var cast = Message(
            Bytes(1, Utf8(input)),
            Bytes(2, Utf8(output)),
            Bytes(3, Utf8("cast")),
            Bytes(4, Utf8("Cast")),
            Bytes(5, Message(Bytes(1, Utf8("to")), Varint(3, Float), Varint(20, 2))));
        var graph = Message(
            Bytes(1, cast),
            Bytes(2, Utf8("g")),
            Bytes(11, ValueInfo(input, inputType, dims)),
            Bytes(12, ValueInfo(output, Float, dims)));
        return Message(
            Varint(1, 8),
            Bytes(8, Message(Bytes(1, []), Varint(2, 17))),
            Bytes(7, graph));
    }

    private static byte[] ValueInfo(string name, int elemType, object[] dims)
    {
        var shape = Message(dims.Select(d => Bytes(1, d is int n ? Varint(1, n) : Bytes(2, Utf8((string)d)))).ToArray());
        var tensor = Message(Varint(1, elemType), Bytes(2, shape));
        return Message(Bytes(1, Utf8(name)), Bytes(2, Message(Bytes(1, tensor))));
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static byte[] Message(params byte[][] fields) => fields.SelectMany(f => f).ToArray();

    private static byte[] Varint(int field, long value) => [.. Raw((ulong)(field << 3)), .. Raw((ulong)value)];

    private static byte[] Bytes(int field, byte[] payload) => [.. Raw((ulong)((field << 3) | 2)), .. Raw((ulong)payload.Length), .. payload];

    private static byte[] Raw(ulong value)
    {
        var result = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            result.Add(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
        return result.ToArray();
    }
}
