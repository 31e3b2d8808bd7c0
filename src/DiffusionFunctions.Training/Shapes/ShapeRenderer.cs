namespace DiffusionFunctions.Training.Shapes;

/// <summary>
/// Renders a <see cref="ShapeScene"/> to a 64x64 RGB image, anti-aliased from the shape's signed distance
/// (coverage = clamp(0.5 - distance, 0, 1) per pixel centre), deterministic and allocation-light.
/// </summary>
public static class ShapeRenderer
{
    /// <summary>The image side in pixels.</summary>
    public const int Size = 64;

    /// <summary>The fraction of each pixel covered by the shape, row-major, values in [0, 1].</summary>
    public static float[] Coverage(ShapeKind shape, ShapeSize size, ShapePosition position) =>
        Coverage(shape, size.Radius(), position.Centre());

    /// <summary>Coverage for an arbitrary radius and centre (templates of the image analyser).</summary>
    public static float[] Coverage(ShapeKind shape, float radius, (float X, float Y) centre)
    {
        var coverage = new float[Size * Size];
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                var d = ShapeGeometry.Distance(shape, x + 0.5f - centre.X, y + 0.5f - centre.Y, radius);
                coverage[(y * Size) + x] = Math.Clamp(0.5f - d, 0f, 1f);
            }
        }

        return coverage;
    }

    /// <summary>Interleaved RGB bytes, row-major, <see cref="Size"/> x <see cref="Size"/>.</summary>
    public static byte[] Render(ShapeScene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var coverage = Coverage(scene.Shape, scene.Size, scene.Position);
        var pixels = new byte[Size * Size * 3];
        var fg = scene.Foreground;
        var bg = scene.Background;
        for (var i = 0; i < coverage.Length; i++)
        {
            var c = coverage[i];
            pixels[(3 * i) + 0] = Blend(bg.R, fg.R, c);
            pixels[(3 * i) + 1] = Blend(bg.G, fg.G, c);
            pixels[(3 * i) + 2] = Blend(bg.B, fg.B, c);
        }

        return pixels;
    }

    private static byte Blend(byte background, byte foreground, float coverage) =>
        (byte)Math.Clamp(MathF.Round(background + ((foreground - background) * coverage)), 0f, 255f);
}
