using DiffusionFunctions.Training.Shapes;

namespace DiffusionFunctions.Training.Tests.Analysis;

/// <summary>What <see cref="SceneAnalyser"/> read from an image (foreground fields null when no shape was found).</summary>
public sealed record SceneAnalysis(
    NamedColour Background,
    NamedColour? Foreground,
    ShapeKind? Shape,
    ShapeSize? Size,
    ShapePosition? Position,
    double ShapeScore,
    int MaskPixels)
{
    public override string ToString() =>
        $"{Size?.ToString() ?? "-"} {Foreground?.Name ?? "-"} {Shape?.ToString() ?? "-"} at {Position?.ToString() ?? "-"} on {Background.Name} (IoU {ShapeScore:F2}, {MaskPixels} px)";
}
