using System.Globalization;

namespace DiffusionFunctions.Training.Tests.Semantic;

/// <summary>
/// Two settings compared image by image over the same prompts and seeds (same starting noise, so each pair differs only
/// by the setting): how many pairs only the first got right and only the second got right, the one-sided sign-test
/// p-value that the first is not really better (exact binomial over the discordant pairs), and in how many pairs the
/// first image is closer to the prompt's reference render.
/// </summary>
public sealed record PairedComparison(int Pairs, int OnlyFirstRight, int OnlySecondRight, int FirstCloser, double SignTestP)
{
    /// <summary>
    /// Compares two tallies filled in the same order; an image counts as right when <paramref name="right"/> says so
    /// (all three of background, foreground and shape when not given).
    /// </summary>
    public static PairedComparison Of(AccuracyTally first, AccuracyTally second, Func<ImageOutcome, bool>? right = null)
    {
        right ??= o => o.AllThreeRight;
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Outcomes.Count != second.Outcomes.Count)
        {
            throw new ArgumentException($"'{first.Name}' has {first.Outcomes.Count} images, '{second.Name}' {second.Outcomes.Count}: not paired.", nameof(second));
        }

        int onlyFirst = 0, onlySecond = 0, firstCloser = 0;
        for (var i = 0; i < first.Outcomes.Count; i++)
        {
            var (a, b) = (first.Outcomes[i], second.Outcomes[i]);
            onlyFirst += right(a) && !right(b) ? 1 : 0;
            onlySecond += right(b) && !right(a) ? 1 : 0;
            firstCloser += a.RenderError < b.RenderError ? 1 : 0;
        }

        return new PairedComparison(first.Outcomes.Count, onlyFirst, onlySecond, firstCloser, SignTest(onlyFirst, onlySecond));
    }

    /// <summary>
    /// The first setting's lead in the share of images right: (only first right - only second right) / pairs, which is
    /// the first tally's rate minus the second's.
    /// </summary>
    public double NetGain => (double)(OnlyFirstRight - OnlySecondRight) / Pairs;

    /// <summary>The share of pairs whose first image is closer to the reference render.</summary>
    public double FirstCloserRate => (double)FirstCloser / Pairs;

    /// <summary>P(X >= wins) for X ~ Binomial(wins + losses, 1/2); 1 when there are no discordant pairs.</summary>
    public static double SignTest(int wins, int losses)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(wins);
        ArgumentOutOfRangeException.ThrowIfNegative(losses);
        var n = wins + losses;
        double tail = 0;
        for (var k = wins; k <= n; k++)
        {
            tail += Math.Exp(LogChoose(n, k) - (n * Math.Log(2)));
        }

        return Math.Min(1, tail);
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Pairs} pairs: only the first right {OnlyFirstRight}, only the second right {OnlySecondRight} (sign test p = {SignTestP:G3}); first closer to the render in {FirstCloser} ({FirstCloserRate:P0})");

    private static double LogChoose(int n, int k)
    {
        double sum = 0;
        for (var i = 1; i <= k; i++)
        {
            sum += Math.Log(n - k + i) - Math.Log(i);
        }

        return sum;
    }
}
