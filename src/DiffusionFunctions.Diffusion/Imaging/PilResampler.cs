namespace DiffusionFunctions.Diffusion.Imaging;

/// <summary>
/// Resizes 8-bit RGB images the way Pillow's <c>Image.resize</c> does (its documented convolution resampling,
/// <c>reducing_gap=None</c>): a separable filter whose support is widened by the scale factor when downscaling (so a
/// downscale averages every source pixel it covers: antialiasing), weights normalised per output pixel and rounded to 22-bit
/// fixed point, the horizontal pass first, each pass rounded and clipped to 8 bits. CLIPImageProcessor resizes this way, so
/// the safety checker sees the pixels diffusers' checker would.
/// </summary>
public static class PilResampler
{
    private const int PrecisionBits = 32 - 8 - 2;

    /// <summary>Resizes <paramref name="image"/> to <paramref name="width"/> × <paramref name="height"/> with <paramref name="filter"/>.</summary>
    /// <exception cref="ArgumentException">The filter is <see cref="PilResampleFilter.Nearest"/> or undefined.</exception>
    public static RgbImage Resize(RgbImage image, int width, int height, PilResampleFilter filter = PilResampleFilter.Bicubic)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var (kernel, support) = Kernel(filter);
        var pixels = image.Pixels;
        var currentWidth = image.Width;
        if (width != image.Width)
        {
            pixels = Pass(pixels, image.Width, image.Height, width, horizontal: true, kernel, support);
            currentWidth = width;
        }

        if (height != image.Height)
        {
            pixels = Pass(pixels, currentWidth, image.Height, height, horizontal: false, kernel, support);
        }

        return ReferenceEquals(pixels, image.Pixels) ? image : new RgbImage(width, height, pixels);
    }

    private static byte[] Pass(byte[] source, int sourceWidth, int sourceHeight, int outSize, bool horizontal, Func<double, double> kernel, double support)
    {
        var inSize = horizontal ? sourceWidth : sourceHeight;
        var (starts, weights) = Coefficients(inSize, outSize, kernel, support);
        var outWidth = horizontal ? outSize : sourceWidth;
        var outHeight = horizontal ? sourceHeight : outSize;
        var result = new byte[outWidth * outHeight * 3];
        for (var y = 0; y < outHeight; y++)
        {
            for (var x = 0; x < outWidth; x++)
            {
                var o = horizontal ? x : y;
                var k = weights[o];
                for (var c = 0; c < 3; c++)
                {
                    long sum = 1L << (PrecisionBits - 1);
                    for (var i = 0; i < k.Length; i++)
                    {
                        var p = horizontal
                            ? ((y * sourceWidth) + starts[o] + i) * 3
                            : ((((starts[o] + i) * sourceWidth) + x) * 3);
                        sum += source[p + c] * (long)k[i];
                    }

                    result[(((y * outWidth) + x) * 3) + c] = (byte)Math.Clamp(sum >> PrecisionBits, 0, 255);
                }
            }
        }

        return result;
    }

    // Per output pixel: the first source pixel and the fixed-point weights (Pillow's precompute_coeffs, then rounded to
    // 22 fractional bits away from zero).
    private static (int[] Starts, int[][] Weights) Coefficients(int inSize, int outSize, Func<double, double> kernel, double support)
    {
        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var widened = support * filterScale;
        var starts = new int[outSize];
        var weights = new int[outSize][];
        for (var o = 0; o < outSize; o++)
        {
            var center = (o + 0.5) * scale;
            var min = Math.Max((int)(center - widened + 0.5), 0);
            var max = Math.Min((int)(center + widened + 0.5), inSize) - min;
            var w = new double[max];
            var total = 0.0;
            var reciprocal = 1.0 / filterScale;
            for (var i = 0; i < max; i++)
            {
                w[i] = kernel((i + min - center + 0.5) * reciprocal);
                total += w[i];
            }

            var fixedPoint = new int[max];
            for (var i = 0; i < max; i++)
            {
                var normalised = total != 0 ? w[i] / total : w[i];
                var scaled = normalised * (1 << PrecisionBits);
                fixedPoint[i] = (int)(normalised < 0 ? Math.Truncate(scaled - 0.5) : Math.Truncate(scaled + 0.5));
            }

            starts[o] = min;
            weights[o] = fixedPoint;
        }

        return (starts, weights);
    }

    private static (Func<double, double> Kernel, double Support) Kernel(PilResampleFilter filter) => filter switch
    {
        PilResampleFilter.Bicubic => (Bicubic, 2.0),
        PilResampleFilter.Bilinear => (x => Math.Abs(x) < 1 ? 1 - Math.Abs(x) : 0, 1.0),
        PilResampleFilter.Box => (x => x >= -0.5 && x < 0.5 ? 1 : 0, 0.5),
        PilResampleFilter.Hamming => (Hamming, 1.0),
        PilResampleFilter.Lanczos => (x => x > -3 && x < 3 ? Sinc(x) * Sinc(x / 3) : 0, 3.0),
        _ => throw new ArgumentException($"PIL resample filter {filter} ({(int)filter}) is not supported; use bicubic (3), bilinear (2), lanczos (1), box (4) or hamming (5).", nameof(filter)),
    };

    // Keys' cubic convolution with a = -0.5.
    private static double Bicubic(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        return x < 1 ? ((((a + 2) * x) - (a + 3)) * x * x) + 1
            : x < 2 ? ((((x - 5) * x) + 8) * x - 4) * a
            : 0;
    }

    private static double Hamming(double x)
    {
        x = Math.Abs(x);
        if (x == 0)
        {
            return 1;
        }

        if (x >= 1)
        {
            return 0;
        }

        x *= Math.PI;
        return Math.Sin(x) / x * (0.54 + (0.46 * Math.Cos(x)));
    }

    private static double Sinc(double x) => x == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);
}
