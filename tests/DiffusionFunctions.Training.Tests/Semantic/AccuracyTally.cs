using System.Globalization;
using DiffusionFunctions.Training.Shapes;
using DiffusionFunctions.Training.Tests.Analysis;

namespace DiffusionFunctions.Training.Tests.Semantic;

/// <summary>
/// Counts how often the analyser read what the prompt asked for, keeps each image's outcome (for paired comparisons of
/// two settings over the same prompts and seeds), and formats one table row.
/// </summary>
public sealed class AccuracyTally(string name)
{
    private readonly List<string> misses = [];
    private readonly List<ImageOutcome> outcomes = [];

    public string Name { get; } = name;

    public int Images => outcomes.Count;

    public int Background { get; private set; }

    public int Foreground { get; private set; }

    public int Shape { get; private set; }

    public int AllThree => outcomes.Count(o => o.AllThreeRight);

    public int Size { get; private set; }

    public int Position { get; private set; }

    public double BackgroundRate => (double)Background / Images;

    public double ForegroundRate => (double)Foreground / Images;

    public double ShapeRate => (double)Shape / Images;

    public double AllThreeRate => (double)AllThree / Images;

    public double SizeRate => (double)Size / Images;

    public double PositionRate => (double)Position / Images;

    /// <summary>Mean <see cref="RenderDistance"/> of the images (0-255; lower is closer to what the prompt describes).</summary>
    public double MeanRenderError => outcomes.Average(o => o.RenderError);

    public IReadOnlyList<string> Misses => misses;

    /// <summary>Each image's outcome, in the order added.</summary>
    public IReadOnlyList<ImageOutcome> Outcomes => outcomes;

    /// <summary>Analyses the image, counts it against what was asked, and returns what the analyser read.</summary>
    public SceneAnalysis Add(ShapeScene asked, byte[] rgb)
    {
        ArgumentNullException.ThrowIfNull(asked);
        var seen = SceneAnalyser.Analyse(rgb);
        var bg = seen.Background == asked.Background;
        var fg = seen.Foreground == asked.Foreground;
        var shape = seen.Shape == asked.Shape;
        Background += bg ? 1 : 0;
        Foreground += fg ? 1 : 0;
        Shape += shape ? 1 : 0;
        Size += seen.Size == asked.Size ? 1 : 0;
        Position += seen.Position == asked.Position ? 1 : 0;
        outcomes.Add(new ImageOutcome(bg && fg && shape, fg, RenderDistance.MeanAbsoluteError(rgb, asked)));
        if (!(bg && fg && shape) && misses.Count < 6)
        {
            misses.Add($"'{asked.Caption}' -> {seen}");
        }

        return seen;
    }

    private const string Header = "| table | images | background | foreground | shape | all three | size | position | error vs render |";

    private const string Separator = "| --- | --- | --- | --- | --- | --- | --- | --- | --- |";

    /// <summary>A Markdown table of the tallies: header, one row each, the extra lines, then each tally's misses.</summary>
    public static List<string> Table(IEnumerable<AccuracyTally> tallies, IEnumerable<string> extra)
    {
        ArgumentNullException.ThrowIfNull(tallies);
        ArgumentNullException.ThrowIfNull(extra);
        var list = tallies.ToList();
        var lines = new List<string> { Header, Separator };
        lines.AddRange(list.Select(t => t.Row()));
        lines.AddRange(extra);
        foreach (var tally in list)
        {
            lines.AddRange(tally.Misses.Select(miss => $"  miss ({tally.Name}): {miss}"));
        }

        return lines;
    }

    public string Row() => string.Create(
        CultureInfo.InvariantCulture,
        $"| {Name} | {Images} | {BackgroundRate:P0} | {ForegroundRate:P0} | {ShapeRate:P0} | {AllThreeRate:P0} | {SizeRate:P0} | {PositionRate:P0} | {MeanRenderError:F1} |");

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

/// <summary>
/// One image's outcome: all three of background, foreground and shape right; the foreground colour right; its
/// <see cref="RenderDistance"/>.
/// </summary>
public readonly record struct ImageOutcome(bool AllThreeRight, bool ForegroundRight, double RenderError);
