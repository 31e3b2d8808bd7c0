namespace DiffusionFunctions.Training.Shapes;

/// <summary>
/// Signed distance (pixels, negative inside) from a point to each shape, centred on the origin with radius <c>r</c>
/// (y grows downwards). Polygons use the exact polygon distance (Inigo Quilez, "2D distance functions").
/// </summary>
internal static class ShapeGeometry
{
    private static readonly (float X, float Y)[] UnitTriangle = RegularPolygon(3, 1f, 1f, 0.25f);
    private static readonly (float X, float Y)[] UnitStar = RegularPolygon(5, 1f, 0.45f, 0.095f);
    private static readonly (float X, float Y)[] UnitHeart = Heart();

    public static float Distance(ShapeKind shape, float x, float y, float r) => shape switch
    {
        ShapeKind.Circle => MathF.Sqrt((x * x) + (y * y)) - r,
        ShapeKind.Ring => MathF.Abs(MathF.Sqrt((x * x) + (y * y)) - (0.72f * r)) - (0.28f * r),
        ShapeKind.Square => Box(x, y, 0.85f * r),
        ShapeKind.Triangle => Polygon(UnitTriangle, x / r, y / r) * r,
        ShapeKind.Star => Polygon(UnitStar, x / r, y / r) * r,
        ShapeKind.Heart => Polygon(UnitHeart, x / r, y / r) * r,
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "Unknown shape."),
    };

    private static float Box(float x, float y, float half)
    {
        var dx = MathF.Abs(x) - half;
        var dy = MathF.Abs(y) - half;
        var outside = MathF.Sqrt((MathF.Max(dx, 0f) * MathF.Max(dx, 0f)) + (MathF.Max(dy, 0f) * MathF.Max(dy, 0f)));
        return outside + MathF.Min(MathF.Max(dx, dy), 0f);
    }

    /// <summary>Star-shaped polygon with <paramref name="points"/> tips, alternating outer/inner radius, first tip up.</summary>
    private static (float X, float Y)[] RegularPolygon(int points, float outer, float inner, float shiftDown)
    {
        var star = inner < outer;
        var count = star ? points * 2 : points;
        var result = new (float X, float Y)[count];
        for (var i = 0; i < count; i++)
        {
            var angle = (-MathF.PI / 2f) + (2f * MathF.PI * i / count);
            var radius = star && i % 2 == 1 ? inner : outer;
            result[i] = (radius * MathF.Cos(angle), (radius * MathF.Sin(angle)) + shiftDown);
        }

        return result;
    }

    /// <summary>The classic parametric heart, 64 points, scaled to about one radius and centred.</summary>
    private static (float X, float Y)[] Heart()
    {
        const int Count = 64;
        var result = new (float X, float Y)[Count];
        for (var i = 0; i < Count; i++)
        {
            var t = 2f * MathF.PI * i / Count;
            var x = 16f * MathF.Pow(MathF.Sin(t), 3);
            var y = (13f * MathF.Cos(t)) - (5f * MathF.Cos(2 * t)) - (2f * MathF.Cos(3 * t)) - MathF.Cos(4 * t);
            result[i] = (x / 16f, (-(y + 2.5f)) / 15.5f);
        }

        return result;
    }

    private static float Polygon((float X, float Y)[] v, float px, float py)
    {
        var d = ((px - v[0].X) * (px - v[0].X)) + ((py - v[0].Y) * (py - v[0].Y));
        var s = 1f;
        for (int i = 0, j = v.Length - 1; i < v.Length; j = i, i++)
        {
            var ex = v[j].X - v[i].X;
            var ey = v[j].Y - v[i].Y;
            var wx = px - v[i].X;
            var wy = py - v[i].Y;
            var t = Math.Clamp(((wx * ex) + (wy * ey)) / ((ex * ex) + (ey * ey)), 0f, 1f);
            var bx = wx - (ex * t);
            var by = wy - (ey * t);
            d = MathF.Min(d, (bx * bx) + (by * by));
            var c1 = py >= v[i].Y;
            var c2 = py < v[j].Y;
            var c3 = ex * wy > ey * wx;
            if ((c1 && c2 && c3) || (!c1 && !c2 && !c3))
            {
                s = -s;
            }
        }

        return s * MathF.Sqrt(d);
    }
}
