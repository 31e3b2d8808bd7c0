using DiffusionFunctions.Diffusion.Imaging;

namespace DiffusionFunctions.Diffusion.Tests.Imaging;

/// <summary>
/// The four test images of <c>tools/reference/safety_checker_input_goldens.py</c>, from the same integer formulas: smooth
/// gradient, photographic noise (gradient + xorshift32 noise), high detail (zone plate, 1-pixel checkerboard, stripes) and a
/// non-square 640 × 480 noise image.
/// </summary>
internal static class SafetyCheckerTestImages
{
    public static RgbImage Create(string name) => name switch
    {
        "smooth" => Gradient(512, 512),
        "noise" => Noisy(512, 512, 2463534242),
        "detail" => HighDetail(512, 512),
        "nonsquare" => Noisy(640, 480, 88675123),
        _ => throw new ArgumentException($"No test image '{name}'.", nameof(name)),
    };

    private static RgbImage Gradient(int w, int h) => FromFunction(w, h, (x, y) =>
        (x * 255 / (w - 1), y * 255 / (h - 1), 255 - ((x + y) * 255 / (w + h - 2))));

    private static RgbImage Noisy(int w, int h, uint seed)
    {
        var gradient = Gradient(w, h);
        var pixels = gradient.Pixels.ToArray();
        var state = seed;
        for (var i = 0; i < pixels.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            var total = (int)((state & 0xFF) + ((state >> 8) & 0xFF) + ((state >> 16) & 0xFF) + ((state >> 24) & 0xFF));
            pixels[i] = (byte)Math.Clamp(pixels[i] + ((total - 510) >> 2), 0, 255);
        }

        return new RgbImage(w, h, pixels);
    }

    private static RgbImage HighDetail(int w, int h) => FromFunction(w, h, (x, y) =>
        ((((x * x) + (y * y)) >> 5 & 1) * 255, ((x ^ y) & 1) * 255, ((x >> 1) & 1) * 255));

    private static RgbImage FromFunction(int w, int h, Func<int, int, (int R, int G, int B)> pixel)
    {
        var pixels = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var (r, g, b) = pixel(x, y);
                var p = ((y * w) + x) * 3;
                (pixels[p], pixels[p + 1], pixels[p + 2]) = ((byte)r, (byte)g, (byte)b);
            }
        }

        return new RgbImage(w, h, pixels);
    }
}
