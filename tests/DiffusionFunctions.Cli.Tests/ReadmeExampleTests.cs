using System.Text;
using System.Text.RegularExpressions;

namespace DiffusionFunctions.Cli.Tests;

/// <summary>
/// Runs every <c>dotnet run --project src/DiffusionFunctions.Cli -- ...</c> line of the bash blocks in README.md and the CLI
/// README in-process, as written, with <c>/tmp/</c> mapped to a private folder: each must exit 0. <c>submit</c> lines need a
/// running API (DfxSubmitTests covers them) and <c>logo upload</c> lines the local run's storage (DfxLogoUploadTests runs
/// the README's upload on it), so both are skipped; a <c>printf '...' &gt; FILE</c> line writes its file.
/// </summary>
public sealed partial class ReadmeExampleTests
{
    private const string Prefix = "dotnet run --project src/DiffusionFunctions.Cli -- ";

    public static TheoryData<string> Readmes => ["README.md", "src/DiffusionFunctions.Cli/README.md"];

    [Theory]
    [MemberData(nameof(Readmes))]
    public async Task Every_dfx_example_runs_as_written(string readme)
    {
        var root = RepositoryRoot();
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.Path);
        var ran = 0;
        foreach (var line in BashLines(await File.ReadAllTextAsync(Path.Combine(root, readme))))
        {
            if (PrintfLine().Match(line) is { Success: true } printf)
            {
                await File.WriteAllTextAsync(MapTemp(printf.Groups["file"].Value, temp.Path), printf.Groups["text"].Value.Replace("\\n", "\n", StringComparison.Ordinal));
                continue;
            }

            if (!line.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var args = ShellWords(line[Prefix.Length..]).Select(a => a.StartsWith("models/", StringComparison.Ordinal) ? Path.Combine(root, a) : MapTemp(a, temp.Path)).ToArray();
            if (args[0] is "submit" or "logo")
            {
                continue;
            }

            var (exitCode, _, error) = await DfxRunner.RunAsync(args);
            Assert.True(exitCode == 0, $"{readme}: '{line}' exited {exitCode}: {error}");
            ran++;
        }

        Assert.True(ran >= 4, $"{readme}: only {ran} dfx examples found");
    }

    private static string MapTemp(string arg, string temp) =>
        arg.StartsWith("/tmp/", StringComparison.Ordinal) ? Path.Combine(temp, arg["/tmp/".Length..]) : arg;

    private static IEnumerable<string> BashLines(string markdown)
    {
        var inBash = false;
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inBash = !inBash && line.Trim() == "```bash";
                continue;
            }

            if (inBash)
            {
                yield return line.Trim();
            }
        }
    }

    // Words as bash splits them for these lines: double and single quotes, and a comment from an unquoted '#'.
    private static List<string> ShellWords(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in text)
        {
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (c == '#' && !inWord)
            {
                break;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "DiffusionFunctions.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("DiffusionFunctions.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^printf '(?<text>[^']*)' > (?<file>\S+)$")]
    private static partial Regex PrintfLine();
}
