using SkiaSharp;

namespace DiffusionFunctions.Diffusion.Imaging;

/// <summary>Encodes RGB images as PNG with SkiaSharp and embeds the web UIs' <c>parameters</c> text chunk.</summary>
public static class PngImageEncoder
{
    /// <summary>Encodes <paramref name="image"/> as PNG; when <paramref name="parameters"/> is given, adds its <c>parameters</c> chunk.</summary>
    public static byte[] Encode(RgbImage image, WebUiParameters? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var bitmap = SkiaPixels.ToBitmap(image);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException("SkiaSharp could not encode the image as PNG.");
        var png = data.ToArray();
        return parameters is null ? png : PngTextChunks.Insert(png, WebUiParameters.ChunkKeyword, parameters.ToText());
    }

    /// <summary>Reads the <c>parameters</c> chunk of a PNG back; <see langword="null"/> when absent or not in the web UIs' format.</summary>
    public static WebUiParameters? ReadParameters(ReadOnlySpan<byte> png)
    {
        var text = PngTextChunks.Read(png, WebUiParameters.ChunkKeyword);
        return text is null ? null : WebUiParameters.Parse(text);
    }
}
