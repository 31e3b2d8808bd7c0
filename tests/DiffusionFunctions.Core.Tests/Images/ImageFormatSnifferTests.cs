using System.Buffers.Binary;
using System.Text;
using DiffusionFunctions.Core.Images;
using DiffusionFunctions.TestSupport;

namespace DiffusionFunctions.Core.Tests.Images;

public sealed class ImageFormatSnifferTests
{
    [Fact]
    public void Png_size_comes_from_the_ihdr_chunk()
    {
        Assert.True(ImageFormatSniffer.TryReadHeader(TestImages.Png(24, 16), out var header));
        Assert.Equal(new ImageHeader(InputImageFormat.Png, 24, 16), header);
        Assert.Equal("image/png", header.ContentType);
    }

    [Fact]
    public void Jpeg_size_comes_from_the_first_start_of_frame_marker()
    {
        Assert.True(ImageFormatSniffer.TryReadHeader(TestImages.JpegHeader(640, 480), out var header));
        Assert.Equal(new ImageHeader(InputImageFormat.Jpeg, 640, 480), header);
        Assert.Equal("jpg", header.Extension);
    }

    [Fact]
    public void Lossless_webp_size_comes_from_the_vp8l_bits()
    {
        Assert.True(ImageFormatSniffer.TryReadHeader(TestImages.WebPLosslessHeader(300, 200), out var header));
        Assert.Equal(new ImageHeader(InputImageFormat.WebP, 300, 200), header);
    }

    [Fact]
    public void Extended_webp_size_comes_from_the_vp8x_canvas()
    {
        var data = new byte[30];
        Encoding.ASCII.GetBytes("RIFF").CopyTo(data, 0);
        Encoding.ASCII.GetBytes("WEBPVP8X").CopyTo(data, 8);
        data[24] = 0xFF; data[25] = 0x03; // width - 1 = 1023
        data[27] = 0x57; data[28] = 0x02; // height - 1 = 599

        Assert.True(ImageFormatSniffer.TryReadHeader(data, out var header));
        Assert.Equal(new ImageHeader(InputImageFormat.WebP, 1024, 600), header);
    }

    [Fact]
    public void Lossy_webp_size_comes_from_the_vp8_frame_header()
    {
        var data = new byte[30];
        Encoding.ASCII.GetBytes("RIFF").CopyTo(data, 0);
        Encoding.ASCII.GetBytes("WEBPVP8 ").CopyTo(data, 8);
        data[23] = 0x9D; data[24] = 0x01; data[25] = 0x2A;
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(26), 320);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(28), 240);

        Assert.True(ImageFormatSniffer.TryReadHeader(data, out var header));
        Assert.Equal(new ImageHeader(InputImageFormat.WebP, 320, 240), header);
    }

    [Fact]
    public void Gif_and_text_are_not_recognised()
    {
        Assert.False(ImageFormatSniffer.TryDetectFormat(TestImages.Gif(), out _));
        Assert.False(ImageFormatSniffer.TryDetectFormat("hello world"u8, out _));
        Assert.False(ImageFormatSniffer.TryDetectFormat([], out _));
    }

    [Fact]
    public void Truncated_headers_are_recognised_but_unreadable()
    {
        var png = TestImages.Png(8, 8);
        var jpeg = TestImages.JpegHeader(8, 8);

        Assert.True(ImageFormatSniffer.TryDetectFormat(png.AsSpan(0, 12), out var format));
        Assert.Equal(InputImageFormat.Png, format);
        Assert.False(ImageFormatSniffer.TryReadHeader(png.AsSpan(0, 20), out _));
        Assert.False(ImageFormatSniffer.TryReadHeader(jpeg.AsSpan(0, 24), out _));
        Assert.False(ImageFormatSniffer.TryReadHeader(TestImages.WithPngSize(png, 0, 8), out _));
    }
}
