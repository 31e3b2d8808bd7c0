namespace DiffusionFunctions.Diffusion.Imaging;

/// <summary>
/// The safety checker's image preprocessing, as transformers' <c>CLIPImageProcessor</c> does it (settings from the folder's
/// <c>feature_extractor/preprocessor_config.json</c>): resize (the shortest edge to <see cref="ShortestEdge"/>, the long edge
/// to <c>int(size × long / short)</c>, truncated as transformers does; or to a fixed <see cref="ResizeHeight"/> ×
/// <see cref="ResizeWidth"/>) with PIL's filter (<see cref="PilResampler"/>), centre crop (offsets rounded down), rescale,
/// then per-channel mean/std normalisation in float32. Output: [3, crop height, crop width], channels first.
/// </summary>
public sealed record ClipImageProcessor
{
    /// <summary>Stable Diffusion 1.x's values, used for folders without a preprocessor config.</summary>
    public static ClipImageProcessor StableDiffusionDefault { get; } = new();

    /// <summary>Whether to resize (<c>do_resize</c>).</summary>
    public bool Resize { get; init; } = true;

    /// <summary>Target shortest edge (<c>size.shortest_edge</c>, or a bare number); <see langword="null"/> with a fixed size.</summary>
    public int? ShortestEdge { get; init; } = 224;

    /// <summary>Fixed resize height (<c>size.height</c>), when there is no shortest edge.</summary>
    public int? ResizeHeight { get; init; }

    /// <summary>Fixed resize width (<c>size.width</c>), when there is no shortest edge.</summary>
    public int? ResizeWidth { get; init; }

    /// <summary>PIL filter (<c>resample</c>, default bicubic).</summary>
    public PilResampleFilter Resample { get; init; } = PilResampleFilter.Bicubic;

    /// <summary>Whether to centre-crop (<c>do_center_crop</c>).</summary>
    public bool CenterCrop { get; init; } = true;

    /// <summary>Crop height (<c>crop_size.height</c>).</summary>
    public int CropHeight { get; init; } = 224;

    /// <summary>Crop width (<c>crop_size.width</c>).</summary>
    public int CropWidth { get; init; } = 224;

    /// <summary>Whether to rescale (<c>do_rescale</c>).</summary>
    public bool Rescale { get; init; } = true;

    /// <summary>The rescale factor (<c>rescale_factor</c>, 1/255).</summary>
    public double RescaleFactor { get; init; } = 1 / 255.0;

    /// <summary>Whether to normalise (<c>do_normalize</c>).</summary>
    public bool Normalize { get; init; } = true;

    /// <summary>Per-channel mean (<c>image_mean</c>; CLIP's).</summary>
    public IReadOnlyList<double> Mean { get; init; } = [0.48145466, 0.4578275, 0.40821073];

    /// <summary>Per-channel standard deviation (<c>image_std</c>; CLIP's).</summary>
    public IReadOnlyList<double> Std { get; init; } = [0.26862954, 0.26130258, 0.27577711];

    /// <summary>The output height: the crop height, or the resized height without a crop.</summary>
    public int OutputHeight(RgbImage image) => CenterCrop ? CropHeight : ResizedSize(image).Height;

    /// <summary>The output width: the crop width, or the resized width without a crop.</summary>
    public int OutputWidth(RgbImage image) => CenterCrop ? CropWidth : ResizedSize(image).Width;

    /// <summary>The size the image is resized to before the crop (transformers' <c>get_resize_output_image_size</c>).</summary>
    public (int Width, int Height) ResizedSize(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!Resize)
        {
            return (image.Width, image.Height);
        }

        if (ShortestEdge is not { } edge)
        {
            return (ResizeWidth ?? image.Width, ResizeHeight ?? image.Height);
        }

        var shortSide = Math.Min(image.Width, image.Height);
        var longSide = Math.Max(image.Width, image.Height);
        var newLong = (int)(edge * (double)longSide / shortSide);
        return image.Width <= image.Height ? (edge, newLong) : (newLong, edge);
    }

    /// <summary>The checker input for <paramref name="image"/>, [3, h, w] row-major.</summary>
    /// <exception cref="ArgumentException">The resized image is smaller than the crop (transformers would pad; no Stable Diffusion folder does this).</exception>
    public float[] Process(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (width, height) = ResizedSize(image);
        var resized = width == image.Width && height == image.Height ? image : PilResampler.Resize(image, width, height, Resample);
        var (outWidth, outHeight) = CenterCrop ? (CropWidth, CropHeight) : (width, height);
        if (outWidth > width || outHeight > height)
        {
            throw new ArgumentException($"The resized image {width}x{height} is smaller than the {outWidth}x{outHeight} crop.", nameof(image));
        }

        var top = (height - outHeight) / 2;
        var left = (width - outWidth) / 2;
        var plane = outWidth * outHeight;
        var result = new float[3 * plane];
        for (var c = 0; c < 3; c++)
        {
            var mean = (float)Mean[c];
            var std = (float)Std[c];
            for (var y = 0; y < outHeight; y++)
            {
                for (var x = 0; x < outWidth; x++)
                {
                    var level = resized.Pixels[((((top + y) * width) + left + x) * 3) + c];
                    var value = Rescale ? (float)(level * RescaleFactor) : level;
                    result[(c * plane) + (y * outWidth) + x] = Normalize ? (value - mean) / std : value;
                }
            }
        }

        return result;
    }
}
