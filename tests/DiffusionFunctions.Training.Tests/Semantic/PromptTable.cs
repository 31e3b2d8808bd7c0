using DiffusionFunctions.Training.Shapes;

namespace DiffusionFunctions.Training.Tests.Semantic;

/// <summary>The fixed prompt tables of the semantic tests (deterministic; seen and held-out combinations apart).</summary>
public static class PromptTable
{
    /// <summary>Seeds used for every prompt (each pipeline call makes one image per seed: Seed, Seed + 1, ...).</summary>
    public const long Seed = 1000;

    /// <summary>Medium, centred scenes of training combinations: every k-th one, <paramref name="count"/> in all.</summary>
    public static IReadOnlyList<ShapeScene> Seen(int count)
    {
        var training = SceneSampler.AllCombinations.Where(c => !SceneSampler.IsHeldOut(c)).ToList();
        var step = training.Count / count;
        return [.. Enumerable.Range(0, count).Select(i => Scene(training[(i * step) + (i % step)]))];
    }

    /// <summary>Medium, centred scenes of held-out combinations (never trained on).</summary>
    public static IReadOnlyList<ShapeScene> HeldOut(int count) =>
        [.. SceneSampler.AllCombinations.Where(SceneSampler.IsHeldOut).Take(count).Select(Scene)];

    /// <summary>Scenes that say a size and/or a position (training combinations).</summary>
    public static IReadOnlyList<ShapeScene> SizesAndPositions()
    {
        var seen = Seen(12);
        var layouts = new (ShapeSize Size, ShapePosition Position)[]
        {
            (ShapeSize.Small, ShapePosition.TopLeft), (ShapeSize.Small, ShapePosition.BottomRight), (ShapeSize.Large, ShapePosition.Centre),
            (ShapeSize.Medium, ShapePosition.TopRight), (ShapeSize.Medium, ShapePosition.BottomLeft), (ShapeSize.Small, ShapePosition.Centre),
            (ShapeSize.Large, ShapePosition.Centre), (ShapeSize.Small, ShapePosition.TopRight), (ShapeSize.Medium, ShapePosition.TopLeft),
            (ShapeSize.Small, ShapePosition.BottomLeft), (ShapeSize.Medium, ShapePosition.BottomRight), (ShapeSize.Large, ShapePosition.Centre),
        };
        return [.. seen.Zip(layouts, (s, l) => s with { Size = l.Size, Position = l.Position, SayPosition = true })];
    }

    private static ShapeScene Scene(SceneCombination c) =>
        new(c.Shape, NamedColour.FromName(c.Foreground), NamedColour.FromName(c.Background));
}
