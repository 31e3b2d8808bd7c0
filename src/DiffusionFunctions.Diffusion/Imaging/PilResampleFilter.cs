namespace DiffusionFunctions.Diffusion.Imaging;

/// <summary>PIL's resampling filters, numbered as <c>PIL.Image.Resampling</c> (and as <c>resample</c> in image-processor configs).</summary>
public enum PilResampleFilter
{
    /// <summary>Nearest neighbour (not supported by <see cref="PilResampler"/>).</summary>
    Nearest = 0,

    /// <summary>Lanczos, support 3.</summary>
    Lanczos = 1,

    /// <summary>Triangle (linear), support 1.</summary>
    Bilinear = 2,

    /// <summary>Cubic convolution with a = −0.5, support 2.</summary>
    Bicubic = 3,

    /// <summary>Box, support 0.5.</summary>
    Box = 4,

    /// <summary>Hamming-windowed sinc, support 1.</summary>
    Hamming = 5,
}
