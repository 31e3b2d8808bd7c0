using System.Globalization;
using SkiaSharp;

namespace DiffusionFunctions.Diffusion.Imaging;

/// <summary>
/// Decodes untrusted images (init images, masks) defensively: the encoded size is checked first, then the format and the
/// dimensions from the header (<see cref="SKCodec"/> reads them without decoding pixels), and only then are pixels decoded.
/// PNG, JPEG and WebP only. Alpha is dropped; EXIF orientation is not applied.
/// </summary>
public static class UserImageDecoder
{
    /// <summary>Decodes <paramref name="encoded"/> into an RGB image within <paramref name="limits"/> (default <see cref="UserImageLimits.Default"/>).</summary>
    /// <param name="encoded">The image file's bytes.</param>
    /// <param name="what">What the image is, for messages ("init image", "mask").</param>
    /// <param name="limits">Size limits; <see langword="null"/> for the defaults.</param>
    /// <exception cref="InvalidImageException">The image is too large, not PNG/JPEG/WebP, or cannot be decoded.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> encoded, string what = "image", UserImageLimits? limits = null)
    {
        limits ??= UserImageLimits.Default;
        if (encoded.IsEmpty)
        {
            throw new InvalidImageException($"The {what} is empty.");
        }

        if (encoded.Length > limits.MaxBytes)
        {
            throw new InvalidImageException(string.Create(CultureInfo.InvariantCulture,
                $"The {what} is {encoded.Length} bytes; the limit is {limits.MaxBytes} bytes."));
        }

        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data)
            ?? throw new InvalidImageException($"The {what} is not a PNG, JPEG or WebP image.");
        if (codec.EncodedFormat is not (SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg or SKEncodedImageFormat.Webp))
        {
            throw new InvalidImageException($"The {what} is {codec.EncodedFormat}; only PNG, JPEG and WebP are accepted.");
        }

        var width = codec.Info.Width;
        var height = codec.Info.Height;
        if (width <= 0 || height <= 0 || width > limits.MaxSide || height > limits.MaxSide || (long)width * height > limits.MaxPixels)
        {
            throw new InvalidImageException(string.Create(CultureInfo.InvariantCulture,
                $"The {what} is {width}x{height}; the limits are {limits.MaxSide} pixels per side and {limits.MaxPixels} pixels."));
        }

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            throw new InvalidImageException($"The {what} could not be decoded ({result}).");
        }

        if (result == SKCodecResult.IncompleteInput)
        {
            throw new InvalidImageException($"The {what} is truncated.");
        }

        return SkiaPixels.FromBitmap(bitmap);
    }
}
