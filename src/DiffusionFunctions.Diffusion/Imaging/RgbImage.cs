namespace DiffusionFunctions.Diffusion.Imaging;

/// <summary>
/// An 8-bit RGB image in memory: <see cref="Pixels"/> holds <c>Width × Height × 3</c> bytes, row-major, interleaved R, G, B,
/// no padding. The engine's one image type between decoding, the pipeline and PNG encoding.
/// </summary>
public sealed class RgbImage
{
    /// <summary>Wraps <paramref name="pixels"/> (not copied) as a <paramref name="width"/> × <paramref name="height"/> image.</summary>
    /// <exception cref="ArgumentException">The buffer length is not <c>width × height × 3</c>.</exception>
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.LongLength != (long)width * height * 3)
        {
            throw new ArgumentException(
                $"An RGB image of {width}x{height} needs {(long)width * height * 3} bytes, got {pixels.LongLength}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Interleaved RGB bytes, row-major.</summary>
    public byte[] Pixels { get; }

    /// <summary>Returns the luma (ITU-R 601, as PIL's <c>convert("L")</c>) of every pixel, row-major, one byte each.</summary>
    public byte[] ToLuma()
    {
        var luma = new byte[Width * Height];
        for (int i = 0, p = 0; i < luma.Length; i++, p += 3)
        {
            // PIL: L = R * 299/1000 + G * 587/1000 + B * 114/1000, rounded.
            luma[i] = (byte)((Pixels[p] * 299 + Pixels[p + 1] * 587 + Pixels[p + 2] * 114 + 500) / 1000);
        }

        return luma;
    }
}
