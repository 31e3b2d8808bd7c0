namespace DiffusionFunctions.Training.Shapes;

/// <summary>The shapes of the tiny-shapes vocabulary; the lower-case enum name is the caption word.</summary>
public enum ShapeKind
{
    /// <summary>A filled disc.</summary>
    Circle,

    /// <summary>An axis-aligned filled square.</summary>
    Square,

    /// <summary>An upright equilateral triangle.</summary>
    Triangle,

    /// <summary>An upright five-pointed star.</summary>
    Star,

    /// <summary>An annulus.</summary>
    Ring,

    /// <summary>An upright heart.</summary>
    Heart,
}

/// <summary>The size words: <see cref="Medium"/> is said by leaving the size out.</summary>
public enum ShapeSize
{
    /// <summary>"small": radius 8 px.</summary>
    Small,

    /// <summary>No size word: radius 13 px.</summary>
    Medium,

    /// <summary>"large": radius 21 px, always centred.</summary>
    Large,
}

/// <summary>The position words: <see cref="Centre"/> is the default when no position is said.</summary>
public enum ShapePosition
{
    /// <summary>"in the centre" (or nothing).</summary>
    Centre,

    /// <summary>"in the top left".</summary>
    TopLeft,

    /// <summary>"in the top right".</summary>
    TopRight,

    /// <summary>"in the bottom left".</summary>
    BottomLeft,

    /// <summary>"in the bottom right".</summary>
    BottomRight,
}

/// <summary>Caption words and geometry of the enums.</summary>
public static class ShapeWords
{
    /// <summary>All shapes in index order.</summary>
    public static IReadOnlyList<ShapeKind> Shapes { get; } = Enum.GetValues<ShapeKind>();

    /// <summary>The caption word of a shape.</summary>
    public static string Word(this ShapeKind shape) => shape switch
    {
        ShapeKind.Circle => "circle",
        ShapeKind.Square => "square",
        ShapeKind.Triangle => "triangle",
        ShapeKind.Star => "star",
        ShapeKind.Ring => "ring",
        ShapeKind.Heart => "heart",
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "Unknown shape."),
    };

    /// <summary>The caption words of a position (without "in the").</summary>
    public static string Word(this ShapePosition position) => position switch
    {
        ShapePosition.Centre => "centre",
        ShapePosition.TopLeft => "top left",
        ShapePosition.TopRight => "top right",
        ShapePosition.BottomLeft => "bottom left",
        ShapePosition.BottomRight => "bottom right",
        _ => throw new ArgumentOutOfRangeException(nameof(position), position, "Unknown position."),
    };

    /// <summary>The shape's radius in pixels on the 64x64 canvas.</summary>
    public static float Radius(this ShapeSize size) => size switch
    {
        ShapeSize.Small => 8f,
        ShapeSize.Medium => 13f,
        ShapeSize.Large => 21f,
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "Unknown size."),
    };

    /// <summary>The shape's centre in pixels on the 64x64 canvas.</summary>
    public static (float X, float Y) Centre(this ShapePosition position) => position switch
    {
        ShapePosition.Centre => (32f, 32f),
        ShapePosition.TopLeft => (19f, 19f),
        ShapePosition.TopRight => (45f, 19f),
        ShapePosition.BottomLeft => (19f, 45f),
        ShapePosition.BottomRight => (45f, 45f),
        _ => throw new ArgumentOutOfRangeException(nameof(position), position, "Unknown position."),
    };
}
