using SkiaSharp;

namespace DiffusionFunctions.Diffusion.Imaging;

/// <summary>Resizes RGB images with SkiaSharp's cubic resampler.</summary>
public static class ImageResizer
{
    /// <summary>
    /// Resizes <paramref name="image"/> to <paramref name="width"/> × <paramref name="height"/> (stretching, as the diffusers
    /// image processor's <c>resize</c> does) with Catmull-Rom cubic sampling, the kernel of PIL's bicubic filter; returns the
    /// same instance when the size already matches. Unlike PIL, the kernel is not widened when downscaling.
    /// </summary>
    public static RgbImage Resize(RgbImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (image.Width == width && image.Height == height)
        {
            return image;
        }

        using var source = SkiaPixels.ToBitmap(image);
        using var target = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        if (!source.ScalePixels(target, new SKSamplingOptions(SKCubicResampler.CatmullRom)))
        {
            throw new InvalidOperationException($"SkiaSharp could not resize {image.Width}x{image.Height} to {width}x{height}.");
        }

        return SkiaPixels.FromBitmap(target);
    }
}
