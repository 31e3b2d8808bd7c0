using System.Runtime.InteropServices;
using SkiaSharp;

namespace DiffusionFunctions.Diffusion.Imaging;

/// <summary>Copies between <see cref="RgbImage"/> and SkiaSharp RGBA bitmaps.</summary>
internal static class SkiaPixels
{
    /// <summary>Creates an opaque RGBA8888 bitmap holding <paramref name="image"/>'s pixels.</summary>
    public static SKBitmap ToBitmap(RgbImage image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = new byte[image.Width * image.Height * 4];
        var rgb = image.Pixels;
        for (int p = 0, q = 0; p < rgb.Length; p += 3, q += 4)
        {
            rgba[q] = rgb[p];
            rgba[q + 1] = rgb[p + 1];
            rgba[q + 2] = rgb[p + 2];
            rgba[q + 3] = 255;
        }

        Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        return bitmap;
    }

    /// <summary>Reads an RGBA8888 (unpremultiplied or opaque) bitmap into an RGB image, dropping alpha.</summary>
    public static RgbImage FromBitmap(SKBitmap bitmap)
    {
        if (bitmap.ColorType != SKColorType.Rgba8888)
        {
            throw new InvalidOperationException("Expected an RGBA8888 bitmap.");
        }

        var rgba = new byte[bitmap.Width * bitmap.Height * 4];
        Marshal.Copy(bitmap.GetPixels(), rgba, 0, rgba.Length);
        var rgb = new byte[bitmap.Width * bitmap.Height * 3];
        for (int p = 0, q = 0; p < rgb.Length; p += 3, q += 4)
        {
            rgb[p] = rgba[q];
            rgb[p + 1] = rgba[q + 1];
            rgb[p + 2] = rgba[q + 2];
        }

        return new RgbImage(bitmap.Width, bitmap.Height, rgb);
    }
}
