using DiffusionFunctions.Training.Shapes;

namespace DiffusionFunctions.Training.Tests.Semantic;

public sealed class PairedComparisonTests
{
    private static readonly ShapeScene RedCircle = new(ShapeKind.Circle, NamedColour.FromName("red"), NamedColour.FromName("white"));

    [Theory]
    [InlineData(8, 0, 1.0 / 256)]
    [InlineData(0, 0, 1.0)]
    [InlineData(5, 5, 0.623046875)] // P(X >= 5 | n = 10) = 638 / 1024
    [InlineData(9, 1, 11.0 / 1024)]
    [InlineData(0, 3, 1.0)]
    public void Sign_test_is_the_exact_binomial_tail(int wins, int losses, double expected)
    {
        Assert.Equal(expected, PairedComparison.SignTest(wins, losses), 12);
    }

    [Fact]
    public void Counts_discordant_pairs_and_closer_images()
    {
        var right = ShapeRenderer.Render(RedCircle);
        var wrongColour = ShapeRenderer.Render(RedCircle with { Foreground = NamedColour.FromName("blue") });
        var moved = ShapeRenderer.Render(RedCircle with { Position = ShapePosition.TopLeft });
        var first = new AccuracyTally("first");
        var second = new AccuracyTally("second");
        foreach (var (a, b) in new[] { (right, wrongColour), (right, wrongColour), (wrongColour, right), (right, moved) })
        {
            first.Add(RedCircle, a);
            second.Add(RedCircle, b);
        }

        var comparison = PairedComparison.Of(first, second);
        Assert.Equal(4, comparison.Pairs);
        Assert.Equal(2, comparison.OnlyFirstRight);
        Assert.Equal(1, comparison.OnlySecondRight);
        Assert.Equal(3, comparison.FirstCloser);
        Assert.Equal(first.AllThreeRate - second.AllThreeRate, comparison.NetGain, 12);
        Assert.Equal(PairedComparison.SignTest(2, 1), comparison.SignTestP);
    }

    [Fact]
    public void Judges_pairs_by_the_outcome_it_is_given()
    {
        // A blue square asked as a red circle: wrong colour and wrong shape; a red square: right colour, wrong shape.
        var blueSquare = ShapeRenderer.Render(RedCircle with { Foreground = NamedColour.FromName("blue"), Shape = ShapeKind.Square });
        var redSquare = ShapeRenderer.Render(RedCircle with { Shape = ShapeKind.Square });
        var first = new AccuracyTally("first");
        var second = new AccuracyTally("second");
        first.Add(RedCircle, redSquare);
        second.Add(RedCircle, blueSquare);

        var allThree = PairedComparison.Of(first, second);
        var colour = PairedComparison.Of(first, second, o => o.ForegroundRight);
        Assert.Equal((0, 0), (allThree.OnlyFirstRight, allThree.OnlySecondRight));
        Assert.Equal((1, 0), (colour.OnlyFirstRight, colour.OnlySecondRight));
    }

    [Fact]
    public void Refuses_tallies_of_different_lengths()
    {
        var first = new AccuracyTally("first");
        first.Add(RedCircle, ShapeRenderer.Render(RedCircle));
        Assert.Throws<ArgumentException>(() => PairedComparison.Of(first, new AccuracyTally("second")));
    }
}
