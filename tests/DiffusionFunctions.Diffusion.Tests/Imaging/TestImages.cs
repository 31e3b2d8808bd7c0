using DiffusionFunctions.Diffusion.Imaging;
using SkiaSharp;

namespace DiffusionFunctions.Diffusion.Tests.Imaging;

/// <summary>Small deterministic images and encoded files for imaging tests.</summary>
internal static class TestImages
{
    /// <summary>A gradient: R = x, G = y, B = (x + y) mod 256, each times 4.</summary>
    public static RgbImage Gradient(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var p = (y * width + x) * 3;
                pixels[p] = (byte)(x * 4);
                pixels[p + 1] = (byte)(y * 4);
                pixels[p + 2] = (byte)((x + y) * 4);
            }
        }

        return new RgbImage(width, height, pixels);
    }

    /// <summary>Encodes <paramref name="image"/> in <paramref name="format"/> with SkiaSharp.</summary>
    public static byte[] Encode(RgbImage image, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var p = (y * image.Width + x) * 3;
                bitmap.SetPixel(x, y, new SKColor(image.Pixels[p], image.Pixels[p + 1], image.Pixels[p + 2]));
            }
        }

        using var data = bitmap.Encode(format, 100);
        return data.ToArray();
    }
}
