using DiffusionFunctions.Diffusion.Imaging;

namespace DiffusionFunctions.Diffusion.Pipeline;

/// <summary>
/// An inpainting mask as diffusers' inpaint pipeline prepares it: luma, binarised at 0.5 (1 = repaint), the masked image
/// (init image with the repaint area set to 0 in [-1, 1] space), and the mask at latent resolution (nearest-neighbour,
/// as <c>torch.nn.functional.interpolate</c>'s default).
/// </summary>
internal sealed class InpaintMask
{
    private InpaintMask(float[] pixelMask, float[] latentMask)
    {
        PixelMask = pixelMask;
        LatentMask = latentMask;
    }

    /// <summary>H × W values, 0 or 1.</summary>
    public float[] PixelMask { get; }

    /// <summary>h × w values, 0 or 1.</summary>
    public float[] LatentMask { get; }

    public static InpaintMask Create(RgbImage mask, int latentWidth, int latentHeight)
    {
        var luma = mask.ToLuma();
        var pixel = new float[luma.Length];
        for (var i = 0; i < luma.Length; i++)
        {
            pixel[i] = luma[i] / 255f >= 0.5f ? 1f : 0f;
        }

        var latent = new float[latentWidth * latentHeight];
        for (var y = 0; y < latentHeight; y++)
        {
            var sourceY = (int)Math.Floor(y * (double)mask.Height / latentHeight);
            for (var x = 0; x < latentWidth; x++)
            {
                var sourceX = (int)Math.Floor(x * (double)mask.Width / latentWidth);
                latent[(y * latentWidth) + x] = pixel[(sourceY * mask.Width) + sourceX];
            }
        }

        return new InpaintMask(pixel, latent);
    }

    /// <summary>The init image [1, 3, H, W] in [-1, 1] with the repaint area zeroed (image × (mask &lt; 0.5)).</summary>
    public float[] MaskImage(ReadOnlySpan<float> imageNchw)
    {
        var plane = PixelMask.Length;
        var result = imageNchw.ToArray();
        for (var c = 0; c < 3; c++)
        {
            for (var i = 0; i < plane; i++)
            {
                if (PixelMask[i] >= 0.5f)
                {
                    result[(c * plane) + i] = 0f;
                }
            }
        }

        return result;
    }
}
