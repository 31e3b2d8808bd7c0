namespace DiffusionFunctions.Training.Shapes;

/// <summary>
/// The complete, finite training set: every non-held-out combination at every size and position (large shapes centred
/// only), centred scenes once with "in the centre" and once without; 14 captions (11 distinct images) per combination.
/// </summary>
public static class TrainingScenes
{
    /// <summary>All training scenes in a fixed order.</summary>
    public static IReadOnlyList<ShapeScene> All() => Enumerate(includeHeldOut: false);

    /// <summary>Every scene of every combination, held-out ones included (for analyser checks).</summary>
    public static IReadOnlyList<ShapeScene> Everything() => Enumerate(includeHeldOut: true);

    private static List<ShapeScene> Enumerate(bool includeHeldOut)
    {
        var scenes = new List<ShapeScene>();
        foreach (var combination in SceneSampler.AllCombinations)
        {
            if (!includeHeldOut && SceneSampler.IsHeldOut(combination))
            {
                continue;
            }

            var fg = NamedColour.FromName(combination.Foreground);
            var bg = NamedColour.FromName(combination.Background);
            foreach (var size in Enum.GetValues<ShapeSize>())
            {
                foreach (var position in Enum.GetValues<ShapePosition>())
                {
                    if (size == ShapeSize.Large && position != ShapePosition.Centre)
                    {
                        continue;
                    }

                    scenes.Add(new ShapeScene(combination.Shape, fg, bg, size, position, SayPosition: position != ShapePosition.Centre));
                    if (position == ShapePosition.Centre)
                    {
                        scenes.Add(new ShapeScene(combination.Shape, fg, bg, size, position, SayPosition: true));
                    }
                }
            }
        }

        return scenes;
    }
}
