using DiffusionFunctions.Training.Shapes;

namespace DiffusionFunctions.Training.Tests.Analysis;

public sealed class ShapeDatasetTests
{
    [Theory]
    [InlineData(ShapeKind.Star, "red", "white", ShapeSize.Small, ShapePosition.TopLeft, false, "a small red star in the top left on a white background")]
    [InlineData(ShapeKind.Circle, "orange", "blue", ShapeSize.Medium, ShapePosition.Centre, false, "an orange circle on a blue background")]
    [InlineData(ShapeKind.Heart, "pink", "orange", ShapeSize.Large, ShapePosition.Centre, true, "a large pink heart in the centre on an orange background")]
    public void Caption_follows_the_grammar(ShapeKind shape, string fg, string bg, ShapeSize size, ShapePosition position, bool say, string expected)
    {
        var scene = new ShapeScene(shape, NamedColour.FromName(fg), NamedColour.FromName(bg), size, position, say);
        Assert.Equal(expected, scene.Caption);
    }

    [Fact]
    public void Render_is_deterministic_and_anti_aliased()
    {
        var scene = new ShapeScene(ShapeKind.Circle, NamedColour.FromName("red"), NamedColour.FromName("white"));
        var a = ShapeRenderer.Render(scene);
        Assert.Equal(a, ShapeRenderer.Render(scene));
        // Centre pixel is the foreground, a corner the background, and some edge pixels lie strictly between.
        var centre = 3 * ((32 * 64) + 32);
        Assert.Equal((220, 40, 40), (a[centre], a[centre + 1], a[centre + 2]));
        Assert.Equal((245, 245, 245), (a[0], a[1], a[2]));
        var blended = Enumerable.Range(0, 64 * 64).Count(p => a[3 * p + 1] is > 40 and < 245);
        Assert.InRange(blended, 40, 200);
    }

    [Fact]
    public void Held_out_combinations_never_reach_training()
    {
        Assert.Equal(20, SceneSampler.HeldOut.Count);
        Assert.Equal(540, SceneSampler.AllCombinations.Count);
        var training = TrainingScenes.All();
        Assert.DoesNotContain(training, s => SceneSampler.IsHeldOut(s.Combination));
        Assert.Equal((540 - 20) * 14, training.Count);
        var sampler = new SceneSampler(7);
        for (var i = 0; i < 2000; i++)
        {
            Assert.False(SceneSampler.IsHeldOut(sampler.Next().Combination));
        }

        // Every colour, shape and background still appears in training.
        Assert.Equal(10, training.Select(s => s.Foreground).Distinct().Count());
        Assert.Equal(10, training.Select(s => s.Background).Distinct().Count());
        Assert.Equal(6, training.Select(s => s.Shape).Distinct().Count());
    }

    [Fact]
    public void Sampler_is_deterministic_for_a_seed()
    {
        var a = new SceneSampler(42);
        var b = new SceneSampler(42);
        var c = new SceneSampler(43);
        var first = Enumerable.Range(0, 50).Select(_ => a.Next().Caption).ToList();
        Assert.Equal(first, Enumerable.Range(0, 50).Select(_ => b.Next().Caption).ToList());
        Assert.NotEqual(first, Enumerable.Range(0, 50).Select(_ => c.Next().Caption).ToList());
    }
}
