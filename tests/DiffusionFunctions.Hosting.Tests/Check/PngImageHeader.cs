using System.Buffers.Binary;

namespace DiffusionFunctions.Hosting.Tests.Check;

/// <summary>The size a PNG file declares: its signature, then the IHDR chunk's width and height.</summary>
public static class PngImageHeader
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Width and height of <paramref name="png"/>; an assertion failure when it is not a PNG.</summary>
    public static (int Width, int Height) ReadSize(byte[] png)
    {
        ArgumentNullException.ThrowIfNull(png);
        Assert.True(png.Length > 24 && png.AsSpan(0, 8).SequenceEqual(Signature), $"Not a PNG file ({png.Length} bytes).");
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }
}
