namespace DiffusionFunctions.ModelGeneration.Architectures;

/// <summary>
/// The controllable test safety checker: an image is flagged when the mean of its red channel (the <c>images</c>
/// input, NHWC, values in [0, 1]) is greater than <see cref="RedThreshold"/>. A patch-embedding path over
/// <c>clip_input</c> (the CLIP-preprocessed 224x224 image) feeds the score with weight zero, so the input is consumed
/// as in a real export without affecting the verdict.
/// </summary>
/// <param name="RedThreshold">Mean red above this flags the image (above 1: never; below 0: always).</param>
/// <param name="PatchSize">Patch size of the CLIP-style patch embedding (224 must be a multiple).</param>
/// <param name="Width">Width of the patch embedding.</param>
public sealed record SafetyCheckerConfig(float RedThreshold, int PatchSize, int Width);
