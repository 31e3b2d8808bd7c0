namespace DiffusionFunctions.Training.Shapes;

/// <summary>A colour word of the tiny-shapes vocabulary and the sRGB value the renderer paints for it.</summary>
/// <param name="Name">The word used in captions (for example <c>red</c>).</param>
/// <param name="R">Red, 0-255.</param>
/// <param name="G">Green, 0-255.</param>
/// <param name="B">Blue, 0-255.</param>
public sealed record NamedColour(string Name, byte R, byte G, byte B)
{
    /// <summary>The ten colours, in the fixed order their indices refer to.</summary>
    public static IReadOnlyList<NamedColour> Palette { get; } =
    [
        new("red", 220, 40, 40),
        new("orange", 245, 140, 20),
        new("yellow", 245, 215, 40),
        new("green", 40, 160, 60),
        new("blue", 40, 80, 220),
        new("purple", 130, 50, 180),
        new("pink", 245, 130, 190),
        new("brown", 120, 75, 40),
        new("black", 25, 25, 25),
        new("white", 245, 245, 245),
    ];

    /// <summary>The palette colour with this name.</summary>
    public static NamedColour FromName(string name) =>
        Palette.FirstOrDefault(c => c.Name == name) ?? throw new ArgumentException($"'{name}' is not a palette colour.", nameof(name));

    /// <summary>The palette colour closest to an sRGB value (squared Euclidean distance).</summary>
    public static NamedColour Nearest(double r, double g, double b)
    {
        NamedColour best = Palette[0];
        var bestDistance = double.MaxValue;
        foreach (var colour in Palette)
        {
            var d = ((colour.R - r) * (colour.R - r)) + ((colour.G - g) * (colour.G - g)) + ((colour.B - b) * (colour.B - b));
            if (d < bestDistance)
            {
                bestDistance = d;
                best = colour;
            }
        }

        return best;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
