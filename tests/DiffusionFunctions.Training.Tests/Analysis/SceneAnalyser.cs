using DiffusionFunctions.Training.Shapes;

namespace DiffusionFunctions.Training.Tests.Analysis;

/// <summary>
/// Reads a 64x64 tiny-shapes image deterministically: background = per-channel median of the 2-pixel border, snapped to
/// the palette; foreground mask = pixels farther from the background than half the 99th-percentile distance;
/// foreground colour = mean of the pixels beyond three quarters of it, snapped to the palette; shape, size and position
/// from the best intersection-over-union against templates rendered by <see cref="ShapeRenderer"/> at the mask's
/// centroid, at radii around the one the mask's area implies for each shape.
/// </summary>
public static class SceneAnalyser
{
    private const int Size = ShapeRenderer.Size;
    private static readonly Dictionary<ShapeKind, ((float X, float Y) Offset, float AreaPerSquaredRadius)> Profiles =
        ShapeWords.Shapes.ToDictionary(s => s, MeasureProfile);

    /// <summary>Analyses interleaved RGB bytes of a 64x64 image.</summary>
    public static SceneAnalysis Analyse(byte[] rgb)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        if (rgb.Length != Size * Size * 3)
        {
            throw new ArgumentException($"Expected {Size}x{Size} RGB ({Size * Size * 3} bytes), got {rgb.Length}.", nameof(rgb));
        }

        // 1. Background from the border.
        var border = new List<(int R, int G, int B)>();
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                if (x < 2 || y < 2 || x >= Size - 2 || y >= Size - 2)
                {
                    var i = 3 * ((y * Size) + x);
                    border.Add((rgb[i], rgb[i + 1], rgb[i + 2]));
                }
            }
        }

        var bgR = Median(border.Select(p => p.R));
        var bgG = Median(border.Select(p => p.G));
        var bgB = Median(border.Select(p => p.B));
        var background = NamedColour.Nearest(bgR, bgG, bgB);

        // 2. Foreground mask and colour.
        var distance = new double[Size * Size];
        for (var p = 0; p < distance.Length; p++)
        {
            var dr = rgb[3 * p] - bgR;
            var dg = rgb[(3 * p) + 1] - bgG;
            var db = rgb[(3 * p) + 2] - bgB;
            distance[p] = Math.Sqrt((dr * dr) + (dg * dg) + (db * db));
        }

        var sorted = distance.Order().ToArray();
        var high = sorted[(int)(0.99 * (sorted.Length - 1))];
        if (high < 40)
        {
            return new SceneAnalysis(background, null, null, null, null, 0, 0);
        }

        var mask = new bool[distance.Length];
        double sumR = 0, sumG = 0, sumB = 0, cx = 0, cy = 0;
        int core = 0, count = 0;
        for (var p = 0; p < distance.Length; p++)
        {
            if (distance[p] > 0.5 * high)
            {
                mask[p] = true;
                count++;
                cx += (p % Size) + 0.5;
                cy += (p / Size) + 0.5;
            }

            if (distance[p] > 0.75 * high)
            {
                sumR += rgb[3 * p];
                sumG += rgb[(3 * p) + 1];
                sumB += rgb[(3 * p) + 2];
                core++;
            }
        }

        var foreground = NamedColour.Nearest(sumR / core, sumG / core, sumB / core);
        cx /= count;
        cy /= count;

        // 3. Shape, radius and centre by template IoU: for each shape the radius its area implies, +-1.5 px.
        int minX = Size, minY = Size, maxX = 0, maxY = 0;
        for (var p = 0; p < mask.Length; p++)
        {
            if (mask[p])
            {
                (minX, maxX) = (Math.Min(minX, p % Size), Math.Max(maxX, p % Size));
                (minY, maxY) = (Math.Min(minY, p / Size), Math.Max(maxY, p / Size));
            }
        }

        var best = (Shape: ShapeKind.Circle, Radius: 0f, Centre: (X: 0f, Y: 0f), Score: -1.0);
        foreach (var shape in ShapeWords.Shapes)
        {
            var (offset, areaPerSquaredRadius) = Profiles[shape];
            var estimate = MathF.Sqrt(count / areaPerSquaredRadius);
            for (var k = -3; k <= 3; k++)
            {
                var radius = Math.Max(3f, estimate + (0.5f * k));
                var centre = ((float)cx - (offset.X * radius), (float)cy - (offset.Y * radius));
                var score = IntersectionOverUnion(mask, count, shape, radius, centre, (minX, minY, maxX, maxY));
                if (score > best.Score)
                {
                    best = (shape, radius, centre, score);
                }
            }
        }

        var size = best.Radius < 10.5f ? ShapeSize.Small : best.Radius < 17f ? ShapeSize.Medium : ShapeSize.Large;
        var position = Enum.GetValues<ShapePosition>()
            .MinBy(p => Math.Pow(p.Centre().X - best.Centre.X, 2) + Math.Pow(p.Centre().Y - best.Centre.Y, 2));
        return new SceneAnalysis(background, foreground, best.Shape, size, position, best.Score, count);
    }

    /// <summary>IoU of the mask and the template (coverage >= 0.5), evaluated only over the box holding both.</summary>
    private static double IntersectionOverUnion(bool[] mask, int maskCount, ShapeKind shape, float radius, (float X, float Y) centre, (int MinX, int MinY, int MaxX, int MaxY) maskBox)
    {
        var reach = (1.25f * radius) + 2;
        var x0 = Math.Max(0, Math.Min(maskBox.MinX, (int)(centre.X - reach)));
        var y0 = Math.Max(0, Math.Min(maskBox.MinY, (int)(centre.Y - reach)));
        var x1 = Math.Min(Size - 1, Math.Max(maskBox.MaxX, (int)(centre.X + reach)));
        var y1 = Math.Min(Size - 1, Math.Max(maskBox.MaxY, (int)(centre.Y + reach)));
        int intersection = 0, templateCount = 0;
        for (var y = y0; y <= y1; y++)
        {
            for (var x = x0; x <= x1; x++)
            {
                if (ShapeGeometry.Distance(shape, x + 0.5f - centre.X, y + 0.5f - centre.Y, radius) <= 0f)
                {
                    templateCount++;
                    if (mask[(y * Size) + x])
                    {
                        intersection++;
                    }
                }
            }
        }

        var union = maskCount + templateCount - intersection;
        return union == 0 ? 0 : (double)intersection / union;
    }

    /// <summary>A shape's coverage centroid relative to its nominal centre (in radii) and its area over radius squared.</summary>
    private static ((float X, float Y) Offset, float AreaPerSquaredRadius) MeasureProfile(ShapeKind shape)
    {
        const float Radius = 24f;
        var coverage = ShapeRenderer.Coverage(shape, Radius, (32f, 32f));
        double sx = 0, sy = 0, total = 0;
        for (var p = 0; p < coverage.Length; p++)
        {
            sx += coverage[p] * ((p % Size) + 0.5);
            sy += coverage[p] * ((p / Size) + 0.5);
            total += coverage[p];
        }

        return (((float)(((sx / total) - 32) / Radius), (float)(((sy / total) - 32) / Radius)), (float)(total / (Radius * Radius)));
    }

    private static double Median(IEnumerable<int> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
