using DiffusionFunctions.Diffusion.Imaging;
using SkiaSharp;

namespace DiffusionFunctions.Diffusion.Tests.Imaging;

public sealed class UserImageDecoderTests
{
    [Theory]
    [InlineData(SKEncodedImageFormat.Png)]
    [InlineData(SKEncodedImageFormat.Webp)]
    public void Lossless_formats_decode_to_the_exact_pixels(SKEncodedImageFormat format)
    {
        var image = TestImages.Gradient(20, 12);
        var decoded = UserImageDecoder.Decode(TestImages.Encode(image, format));
        Assert.Equal((20, 12), (decoded.Width, decoded.Height));
        Assert.Equal(image.Pixels, decoded.Pixels);
    }

    [Fact]
    public void Jpeg_decodes_to_the_right_size()
    {
        var decoded = UserImageDecoder.Decode(TestImages.Encode(TestImages.Gradient(24, 16), SKEncodedImageFormat.Jpeg));
        Assert.Equal((24, 16), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void Oversized_dimensions_are_refused_from_the_header()
    {
        var png = TestImages.Encode(TestImages.Gradient(64, 32), SKEncodedImageFormat.Png);
        var error = Assert.Throws<InvalidImageException>(() =>
            UserImageDecoder.Decode(png, "init image", new UserImageLimits { MaxSide = 48 }));
        Assert.Equal("The init image is 64x32; the limits are 48 pixels per side and 16777216 pixels.", error.Message);

        error = Assert.Throws<InvalidImageException>(() =>
            UserImageDecoder.Decode(png, "mask", new UserImageLimits { MaxPixels = 2000 }));
        Assert.Equal("The mask is 64x32; the limits are 4096 pixels per side and 2000 pixels.", error.Message);
    }

    [Fact]
    public void Oversized_files_are_refused_before_parsing()
    {
        var error = Assert.Throws<InvalidImageException>(() =>
            UserImageDecoder.Decode(new byte[101], "init image", new UserImageLimits { MaxBytes = 100 }));
        Assert.Equal("The init image is 101 bytes; the limit is 100 bytes.", error.Message);
    }

    [Fact]
    public void Other_formats_and_garbage_are_refused()
    {
        var gif = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");
        Assert.Equal("The image is Gif; only PNG, JPEG and WebP are accepted.",
            Assert.Throws<InvalidImageException>(() => UserImageDecoder.Decode(gif)).Message);
        Assert.Equal("The mask is not a PNG, JPEG or WebP image.",
            Assert.Throws<InvalidImageException>(() => UserImageDecoder.Decode("hello"u8, "mask")).Message);
        Assert.Equal("The image is empty.",
            Assert.Throws<InvalidImageException>(() => UserImageDecoder.Decode([])).Message);
    }

    [Fact]
    public void Truncated_png_is_refused()
    {
        var png = TestImages.Encode(TestImages.Gradient(64, 64), SKEncodedImageFormat.Png);
        var error = Assert.Throws<InvalidImageException>(() => UserImageDecoder.Decode(png.AsSpan(0, png.Length / 2)));
        Assert.Equal("The image is truncated.", error.Message);
    }

    [Fact]
    public void Resize_changes_size_and_keeps_a_flat_colour_flat()
    {
        var flat = new RgbImage(10, 6, Enumerable.Repeat((byte)77, 10 * 6 * 3).ToArray());
        var resized = ImageResizer.Resize(flat, 32, 16);
        Assert.Equal((32, 16), (resized.Width, resized.Height));
        Assert.All(resized.Pixels, b => Assert.Equal(77, b));
        Assert.Same(flat, ImageResizer.Resize(flat, 10, 6));
    }
}
