using System.Text.RegularExpressions;
using DiffusionFunctions.TestSupport;

namespace DiffusionFunctions.LocalRunner.Tests;

/// <summary>
/// The README's runnable shell examples: each <c>```bash</c> block right after a <c>&lt;!-- readme-example: … --&gt;</c>
/// marker. The marker lists the HTTP status each <c>curl</c> of the block is documented to get, in order, or says
/// <c>setup</c> for the block that defines <c>$API</c> and <c>$KEY</c>.
/// </summary>
internal sealed partial record ReadmeExample(int Line, string Code, IReadOnlyList<int> Statuses, bool IsSetup)
{
    public static string ReadmePath => Path.Combine(RepositoryPaths.Root, "README.md");

    public static IReadOnlyList<ReadmeExample> All() => Parse(File.ReadAllText(ReadmePath));

    public static IReadOnlyList<ReadmeExample> Parse(string markdown)
    {
        var examples = new List<ReadmeExample>();
        foreach (Match m in Marked().Matches(markdown))
        {
            var line = markdown[..m.Index].Count(c => c == '\n') + 1;
            var marker = m.Groups["marker"].Value.Trim();
            var isSetup = marker == "setup";
            var statuses = isSetup ? [] : marker.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
            examples.Add(new ReadmeExample(line, m.Groups["code"].Value, statuses, isSetup));
        }

        return examples;
    }

    /// <summary>The <c>```bash</c> blocks with no marker, with the paragraph above each (for the "needs SD 1.5" rule).</summary>
    public static IEnumerable<(string Code, string Above)> Unmarked(string markdown)
    {
        foreach (Match m in AnyBash().Matches(markdown))
        {
            var before = markdown[..m.Index].TrimEnd();
            if (before.EndsWith("-->", StringComparison.Ordinal) && before[before.LastIndexOf("<!--", StringComparison.Ordinal)..].Contains("readme-example", StringComparison.Ordinal))
            {
                continue;
            }

            var paragraphStart = before.LastIndexOf("\n\n", StringComparison.Ordinal);
            yield return (m.Groups["code"].Value, before[(paragraphStart < 0 ? 0 : paragraphStart)..]);
        }
    }

    [GeneratedRegex(@"<!--\s*readme-example:(?<marker>[^>]*?)-->\s*\n```bash\n(?<code>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex Marked();

    [GeneratedRegex(@"^```bash\n(?<code>.*?)\n```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex AnyBash();
}
