using System.Globalization;

namespace DiffusionFunctions.Diffusion.Tests.Schedulers;

/// <summary>diffusers' <c>assert abs(result.item() - expected) &lt; tolerance</c>, with the actual value in the message.</summary>
internal static class ReferenceAssert
{
    public static void Near(double expected, double actual, double tolerance, string what)
    {
        if (!(Math.Abs(actual - expected) < tolerance))
        {
            Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"{what}: expected {expected} ± {tolerance}, got {actual:R}"));
        }
    }

    /// <summary>Checks a final sample's sum and mean of absolute values against a diffusers full-loop test.</summary>
    public static void SumAndMean(ReadOnlySpan<float> sample, double expectedSum, double sumTolerance, double expectedMean, double meanTolerance)
    {
        Near(expectedSum, DiffusersDummies.SumAbs(sample), sumTolerance, "result_sum");
        Near(expectedMean, DiffusersDummies.MeanAbs(sample), meanTolerance, "result_mean");
    }

    /// <summary>Checks only the mean, for the diffusers tests that assert no sum.</summary>
    public static void Mean(ReadOnlySpan<float> sample, double expectedMean, double meanTolerance) =>
        Near(expectedMean, DiffusersDummies.MeanAbs(sample), meanTolerance, "result_mean");
}
