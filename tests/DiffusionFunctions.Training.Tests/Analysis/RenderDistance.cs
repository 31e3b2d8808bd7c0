using DiffusionFunctions.Training.Shapes;

namespace DiffusionFunctions.Training.Tests.Analysis;

/// <summary>
/// How far an image is from the reference render of the scene its prompt describes: the mean absolute difference per
/// channel, in 0-255 units (0 = that exact render). A graded measure of prompt fidelity next to the analyser's
/// right-or-wrong reading: a blurred edge, a washed-out colour or a half-formed shape all raise it.
/// </summary>
public static class RenderDistance
{
    /// <summary>Mean |image - render(scene)| over every pixel and channel, 0 to 255.</summary>
    public static double MeanAbsoluteError(byte[] rgb, ShapeScene scene)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        var reference = ShapeRenderer.Render(scene);
        if (rgb.Length != reference.Length)
        {
            throw new ArgumentException($"Expected {reference.Length} RGB bytes, got {rgb.Length}.", nameof(rgb));
        }

        long sum = 0;
        for (var i = 0; i < rgb.Length; i++)
        {
            sum += Math.Abs(rgb[i] - reference[i]);
        }

        return (double)sum / rgb.Length;
    }
}
