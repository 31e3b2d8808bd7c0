using System.Text;
using DiffusionFunctions.TestSupport;

namespace DiffusionFunctions.Training.Tests.Semantic;

/// <summary>
/// Appends each semantic test's accuracy table to one Markdown file, so a run (and <c>.ci/run</c>, which prints it) shows
/// the figures whether the tests passed or not: <c>DFX_SEMANTIC_REPORT</c> when set, else
/// <c>artifacts/test-reports/semantic-accuracy.md</c> in the checkout.
/// </summary>
public static class AccuracyReport
{
    private static readonly Lock Gate = new();

    /// <summary>The report file.</summary>
    public static string FilePath { get; } =
        Environment.GetEnvironmentVariable("DFX_SEMANTIC_REPORT") is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepositoryPaths.Root, "artifacts", "test-reports", "semantic-accuracy.md");

    /// <summary>Appends a section: the test's name, then the table.</summary>
    public static void Append(string title, IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var text = new StringBuilder().Append("### ").AppendLine(title);
        foreach (var line in lines)
        {
            text.AppendLine(line);
        }

        lock (Gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            File.AppendAllText(FilePath, text.AppendLine().ToString());
        }
    }
}
