namespace DiffusionFunctions.Training.Shapes;

/// <summary>
/// Draws tiny-shapes scenes deterministically from a seed (<see cref="Random(int)"/>, whose seeded sequence is fixed
/// across .NET versions), never from the held-out combinations (<see cref="HeldOut"/>).
/// </summary>
public sealed class SceneSampler
{
    private readonly Random random;
    private readonly bool includeHeldOut;

    /// <summary>Creates a sampler for training scenes (held-out combinations excluded).</summary>
    public SceneSampler(int seed, bool includeHeldOut = false)
    {
        random = new Random(seed);
        this.includeHeldOut = includeHeldOut;
    }

    /// <summary>
    /// The fixed held-out combinations: every (foreground i, shape k, background j) with (7i + 3j + 5k) mod 15 = 0,
    /// 20 of the 540; every colour, shape and background still appears in training in other combinations.
    /// </summary>
    public static IReadOnlySet<SceneCombination> HeldOut { get; } = BuildHeldOut();

    /// <summary>All 540 combinations with foreground != background.</summary>
    public static IReadOnlyList<SceneCombination> AllCombinations { get; } = BuildAll();

    /// <summary>Whether a combination is held out of training.</summary>
    public static bool IsHeldOut(SceneCombination combination) => HeldOut.Contains(combination);

    /// <summary>The next scene: combination, size and position uniformly (large shapes are always centred).</summary>
    public ShapeScene Next()
    {
        while (true)
        {
            var fg = NamedColour.Palette[random.Next(NamedColour.Palette.Count)];
            var bg = NamedColour.Palette[random.Next(NamedColour.Palette.Count)];
            var shape = ShapeWords.Shapes[random.Next(ShapeWords.Shapes.Count)];
            var size = (ShapeSize)random.Next(3);
            var position = size == ShapeSize.Large ? ShapePosition.Centre : (ShapePosition)random.Next(5);
            var sayPosition = random.Next(2) == 0;
            if (fg == bg || (!includeHeldOut && IsHeldOut(new SceneCombination(fg.Name, shape, bg.Name))))
            {
                continue;
            }

            return new ShapeScene(shape, fg, bg, size, position, sayPosition);
        }
    }

    private static HashSet<SceneCombination> BuildHeldOut()
    {
        var set = new HashSet<SceneCombination>();
        for (var i = 0; i < NamedColour.Palette.Count; i++)
        {
            for (var j = 0; j < NamedColour.Palette.Count; j++)
            {
                for (var k = 0; k < ShapeWords.Shapes.Count; k++)
                {
                    if (i != j && ((7 * i) + (3 * j) + (5 * k)) % 15 == 0)
                    {
                        set.Add(new SceneCombination(NamedColour.Palette[i].Name, ShapeWords.Shapes[k], NamedColour.Palette[j].Name));
                    }
                }
            }
        }

        return set;
    }

    private static List<SceneCombination> BuildAll()
    {
        var list = new List<SceneCombination>();
        foreach (var fg in NamedColour.Palette)
        {
            foreach (var shape in ShapeWords.Shapes)
            {
                foreach (var bg in NamedColour.Palette)
                {
                    if (fg != bg)
                    {
                        list.Add(new SceneCombination(fg.Name, shape, bg.Name));
                    }
                }
            }
        }

        return list;
    }
}
