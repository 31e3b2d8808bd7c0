using System.Globalization;
using DiffusionFunctions.Training.Shapes;
using DiffusionFunctions.Training.Tests.Analysis;

namespace DiffusionFunctions.Training.Tests.Semantic;

/// <summary>Counts how often the analyser read what the prompt asked for, and formats one table row.</summary>
public sealed class AccuracyTally(string name)
{
    private readonly List<string> misses = [];

    public string Name { get; } = name;

    public int Images { get; private set; }

    public int Background { get; private set; }

    public int Foreground { get; private set; }

    public int Shape { get; private set; }

    public int AllThree { get; private set; }

    public int Size { get; private set; }

    public int Position { get; private set; }

    public double BackgroundRate => (double)Background / Images;

    public double ForegroundRate => (double)Foreground / Images;

    public double ShapeRate => (double)Shape / Images;

    public double AllThreeRate => (double)AllThree / Images;

    public double SizeRate => (double)Size / Images;

    public double PositionRate => (double)Position / Images;

    public IReadOnlyList<string> Misses => misses;

    public void Add(ShapeScene asked, SceneAnalysis seen)
    {
        ArgumentNullException.ThrowIfNull(asked);
        ArgumentNullException.ThrowIfNull(seen);
        Images++;
        var bg = seen.Background == asked.Background;
        var fg = seen.Foreground == asked.Foreground;
        var shape = seen.Shape == asked.Shape;
        Background += bg ? 1 : 0;
        Foreground += fg ? 1 : 0;
        Shape += shape ? 1 : 0;
        AllThree += bg && fg && shape ? 1 : 0;
        Size += seen.Size == asked.Size ? 1 : 0;
        Position += seen.Position == asked.Position ? 1 : 0;
        if (!(bg && fg && shape) && misses.Count < 6)
        {
            misses.Add($"'{asked.Caption}' -> {seen}");
        }
    }

    public const string Header = "| table | images | background | foreground | shape | all three | size | position |";

    public string Row() => string.Create(
        CultureInfo.InvariantCulture,
        $"| {Name} | {Images} | {BackgroundRate:P0} | {ForegroundRate:P0} | {ShapeRate:P0} | {AllThreeRate:P0} | {SizeRate:P0} | {PositionRate:P0} |");

    /// <summary>The targets: background 98%, foreground 95%, shape 90%, all three 85%.</summary>
    public IEnumerable<string> TargetFailures()
    {
        if (BackgroundRate < 0.98)
        {
            yield return $"{Name}: background {BackgroundRate:P1} < 98%";
        }

        if (ForegroundRate < 0.95)
        {
            yield return $"{Name}: foreground {ForegroundRate:P1} < 95%";
        }

        if (ShapeRate < 0.90)
        {
            yield return $"{Name}: shape {ShapeRate:P1} < 90%";
        }

        if (AllThreeRate < 0.85)
        {
            yield return $"{Name}: all three {AllThreeRate:P1} < 85%";
        }
    }
}
