using DiffusionFunctions.Diffusion.Imaging;

namespace DiffusionFunctions.Diffusion.Pipeline;

/// <summary>Conversions between RGB images and the float layouts the models take (diffusers' <c>VaeImageProcessor</c>; the safety checker's input comes from <see cref="ClipImageProcessor"/>).</summary>
internal static class ImageTensors
{
    /// <summary>[1, 3, H, W] in [-1, 1] (VaeImageProcessor.preprocess: /255, then ×2 − 1).</summary>
    public static float[] ToNchwSigned(RgbImage image)
    {
        var plane = image.Width * image.Height;
        var result = new float[3 * plane];
        var pixels = image.Pixels;
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                result[(c * plane) + i] = (pixels[(i * 3) + c] / 255f * 2f) - 1f;
            }
        }

        return result;
    }

    /// <summary>Decoder output [1, 3, H, W] in [-1, 1] → values in [0, 1], NHWC ((x / 2 + 0.5).clamp(0, 1)).</summary>
    public static float[] DecodedToNhwcUnit(ReadOnlySpan<float> decoded, int width, int height)
    {
        var plane = width * height;
        var result = new float[3 * plane];
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                result[(i * 3) + c] = Math.Clamp((decoded[(c * plane) + i] / 2f) + 0.5f, 0f, 1f);
            }
        }

        return result;
    }

    /// <summary>NHWC [0, 1] → 8-bit RGB ((x × 255).round(), as diffusers' numpy_to_pil).</summary>
    public static RgbImage NhwcUnitToImage(ReadOnlySpan<float> nhwc, int width, int height)
    {
        var pixels = new byte[nhwc.Length];
        for (var i = 0; i < nhwc.Length; i++)
        {
            pixels[i] = (byte)MathF.Round(nhwc[i] * 255f, MidpointRounding.ToEven);
        }

        return new RgbImage(width, height, pixels);
    }
}
