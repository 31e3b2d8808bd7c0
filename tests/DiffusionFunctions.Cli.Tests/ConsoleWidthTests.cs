using DiffusionFunctions.Cli.Commands;

namespace DiffusionFunctions.Cli.Tests;

public sealed class ConsoleWidthTests
{
    [Theory]
    [InlineData(null, true, 0, ConsoleWidth.Unbounded)]
    [InlineData("", true, 0, ConsoleWidth.Unbounded)]
    [InlineData("132", true, 0, 132)]
    [InlineData("132", false, 80, 132)]
    [InlineData("abc", false, 100, 100)]
    [InlineData("0", false, 0, 80)]
    [InlineData(null, false, 120, 120)]
    public void Columns_wins_then_the_terminal_then_unbounded_when_not_a_terminal(string? columns, bool redirected, int terminal, int expected) =>
        Assert.Equal(expected, ConsoleWidth.Resolve(columns, redirected, terminal));
}
