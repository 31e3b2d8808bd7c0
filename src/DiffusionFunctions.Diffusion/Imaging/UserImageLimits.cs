namespace DiffusionFunctions.Diffusion.Imaging;

/// <summary>Limits checked on a user's image (init image, mask) before it is decoded.</summary>
public sealed record UserImageLimits
{
    /// <summary>The defaults: 20 MiB encoded, 4096 pixels per side, 16 megapixels.</summary>
    public static UserImageLimits Default { get; } = new();

    /// <summary>Largest accepted encoded size in bytes (default 20 MiB).</summary>
    public long MaxBytes { get; init; } = 20 * 1024 * 1024;

    /// <summary>Largest accepted width or height in pixels (default 4096).</summary>
    public int MaxSide { get; init; } = 4096;

    /// <summary>Largest accepted width × height (default 16,777,216).</summary>
    public long MaxPixels { get; init; } = 4096L * 4096;
}
