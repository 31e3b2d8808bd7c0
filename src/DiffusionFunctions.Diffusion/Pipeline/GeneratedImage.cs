using DiffusionFunctions.Diffusion.Imaging;

namespace DiffusionFunctions.Diffusion.Pipeline;

/// <summary>One returned image: its index in the run, its seed, the pixels and the PNG (with the <c>parameters</c> chunk).</summary>
/// <param name="Index">Position in the run (0-based), counting withheld images too.</param>
/// <param name="Seed">The seed that reproduces this image alone (run seed + index).</param>
/// <param name="Image">The RGB pixels.</param>
/// <param name="Png">The encoded PNG with the web UIs' <c>parameters</c> text chunk.</param>
/// <param name="Parameters">The parameters written into the PNG.</param>
public sealed record GeneratedImage(int Index, long Seed, RgbImage Image, byte[] Png, WebUiParameters Parameters);
