using System.Buffers.Binary;
using System.Text;
using DiffusionFunctions.Diffusion.Imaging;

namespace DiffusionFunctions.Diffusion.Tests.Imaging;

public sealed class PngTextChunksTests
{
    [Fact]
    public void Crc_matches_the_png_specification_check_value()
    {
        // The standard CRC-32 check value of "123456789".
        Assert.Equal(0xCBF43926u, PngCrc32.Append(0, "123456789"u8));
        // The IEND chunk's well-known CRC.
        Assert.Equal(0xAE426082u, PngCrc32.Append(0, "IEND"u8));
    }

    [Fact]
    public void Latin1_text_becomes_a_tEXt_chunk_before_IDAT_and_reads_back()
    {
        var png = PngImageEncoder.Encode(TestImages.Gradient(8, 8));
        var withText = PngTextChunks.Insert(png, "parameters", "a café\nSteps: 2");

        var chunks = ListChunks(withText);
        var textIndex = chunks.FindIndex(c => c.Type == "tEXt");
        Assert.True(textIndex >= 0, "no tEXt chunk");
        Assert.True(textIndex < chunks.FindIndex(c => c.Type == "IDAT"), "tEXt must precede IDAT");
        Assert.DoesNotContain(chunks, c => c.Type == "iTXt");
        Assert.Equal("parameters\0a caf\u00e9\nSteps: 2", Encoding.Latin1.GetString(chunks[textIndex].Data));
        Assert.Equal("a café\nSteps: 2", PngTextChunks.Read(withText, "parameters"));
    }

    [Fact]
    public void Non_latin1_text_becomes_an_uncompressed_iTXt_chunk()
    {
        var png = PngImageEncoder.Encode(TestImages.Gradient(4, 4));
        var withText = PngTextChunks.Insert(png, "parameters", "猫 🐱");

        var chunk = ListChunks(withText).Single(c => c.Type == "iTXt");
        Assert.Equal("parameters\0\0\0\0\0"u8.ToArray().Concat(Encoding.UTF8.GetBytes("猫 🐱")), chunk.Data);
        Assert.Equal("猫 🐱", PngTextChunks.Read(withText, "parameters"));
    }

    [Fact]
    public void Chunk_with_a_corrupted_crc_is_ignored()
    {
        var withText = PngTextChunks.Insert(PngImageEncoder.Encode(TestImages.Gradient(4, 4)), "parameters", "x");
        var chunk = ListChunks(withText).Single(c => c.Type == "tEXt");
        withText[chunk.Offset + 8] ^= 0x01; // flip a bit in the keyword

        Assert.Null(PngTextChunks.Read(withText, "parameters"));
    }

    [Fact]
    public void Reading_a_missing_keyword_returns_null_and_non_png_throws()
    {
        var png = PngTextChunks.Insert(PngImageEncoder.Encode(TestImages.Gradient(4, 4)), "Comment", "hello");
        Assert.Null(PngTextChunks.Read(png, "parameters"));
        Assert.Equal("hello", PngTextChunks.Read(png, "Comment"));
        Assert.Throws<ArgumentException>(() => PngTextChunks.Read("GIF89a...."u8, "parameters"));
    }

    private static List<(string Type, byte[] Data, int Offset)> ListChunks(byte[] png)
    {
        var result = new List<(string, byte[], int)>();
        var offset = 8;
        while (offset < png.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset));
            var type = Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length).ToArray();
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            Assert.Equal(PngCrc32.Append(0, png.AsSpan(offset + 4, 4 + length)), crc);
            result.Add((type, data, offset));
            offset += 12 + length;
        }

        return result;
    }
}
