using DiffusionFunctions.Training.Shapes;

namespace DiffusionFunctions.Training.Tests.Analysis;

public sealed class RenderDistanceTests
{
    private static readonly ShapeScene RedCircle = new(ShapeKind.Circle, NamedColour.FromName("red"), NamedColour.FromName("white"));

    [Fact]
    public void The_scene_s_own_render_is_at_distance_zero()
    {
        Assert.Equal(0, RenderDistance.MeanAbsoluteError(ShapeRenderer.Render(RedCircle), RedCircle));
    }

    [Fact]
    public void The_distance_grows_with_how_much_of_the_image_is_wrong()
    {
        var moved = RenderDistance.MeanAbsoluteError(ShapeRenderer.Render(RedCircle with { Position = ShapePosition.TopLeft }), RedCircle);
        var recoloured = RenderDistance.MeanAbsoluteError(ShapeRenderer.Render(RedCircle with { Foreground = NamedColour.FromName("blue") }), RedCircle);
        var background = RenderDistance.MeanAbsoluteError(ShapeRenderer.Render(RedCircle with { Background = NamedColour.FromName("black") }), RedCircle);
        Assert.True(moved > 0, "a moved shape must differ from the render");
        Assert.True(background > recoloured, $"a new background ({background:F1}) changes more pixels than a new shape colour ({recoloured:F1})");
    }

    [Fact]
    public void Rejects_an_image_of_another_size()
    {
        Assert.Throws<ArgumentException>(() => RenderDistance.MeanAbsoluteError(new byte[10], RedCircle));
    }
}
