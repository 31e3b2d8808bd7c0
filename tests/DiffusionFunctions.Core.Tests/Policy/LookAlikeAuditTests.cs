using System.Globalization;
using System.Text.RegularExpressions;
using DiffusionFunctions.Core.Policy;

namespace DiffusionFunctions.Core.Tests.Policy;

/// <summary>
/// Audits every look-alike the policy folds to Latin, mechanically: a character whose Unicode name names a Latin letter
/// (LATIN LETTER SMALL CAPITAL H, REGIONAL INDICATOR SYMBOL LETTER G) must read as exactly that letter; any other
/// character's readings must each be listed as confusable with it in Unicode's confusables data, or be one of the
/// reviewed exceptions (Policy/Data/lookalike-reviewed.txt, each with its reason). The Unicode data is a committed
/// extract (Policy/Data/lookalike-unicode-data.txt, Unicode License v3), so the test needs nothing at run time.
/// </summary>
public sealed partial class LookAlikeAuditTests
{
    private static readonly IReadOnlyDictionary<int, string[]> Readings = PromptTextFolding.LookAlikeReadings();
    private static readonly Dictionary<int, (string Name, string[] Confusable)> Unicode = LoadUnicodeData();
    private static readonly Dictionary<(int CodePoint, string Reading), string> Reviewed = LoadReviewed();

    [Fact]
    public void Every_mapped_character_is_in_the_committed_unicode_extract()
    {
        var missing = Readings.Keys.Where(cp => !Unicode.ContainsKey(cp)).Select(Format).ToList();

        Assert.True(missing.Count == 0,
            "Regenerate Policy/Data/lookalike-unicode-data.txt (make-lookalike-unicode-data.py) with these code points:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Every_reading_agrees_with_the_unicode_name_or_confusables_or_a_reviewed_reason()
    {
        Assert.True(Readings.Count > 100, $"the table should hold well over 100 look-alikes, got {Readings.Count}");
        var problems = Readings
            .Where(entry => Unicode.ContainsKey(entry.Key))
            .SelectMany(entry => entry.Value.Select(reading => Judge(entry.Key, reading)))
            .OfType<string>()
            .ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Reviewed_exceptions_are_all_used_and_never_overrule_a_latin_name()
    {
        var problems = new List<string>();
        foreach (var ((codePoint, reading), reason) in Reviewed)
        {
            if (!Readings.TryGetValue(codePoint, out var readings) || !readings.Contains(reading))
            {
                problems.Add($"{Format(codePoint)} -> {reading} ({reason}) is reviewed but the table does not read it so; remove the row.");
            }
            else if (LatinLetterOf(Unicode[codePoint].Name) is { } letter)
            {
                problems.Add($"{Format(codePoint)} {Unicode[codePoint].Name} names the letter {letter}; a reviewed exception may not overrule it.");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData(0x029C, "n", "LATIN LETTER SMALL CAPITAL H read as n")]
    [InlineData(0x0274, "h", "LATIN LETTER SMALL CAPITAL N read as h")]
    [InlineData(0x1F1EC, "q", "REGIONAL INDICATOR SYMBOL LETTER G read as q")]
    [InlineData(0x0441, "o", "Cyrillic es read as o: neither confusable nor reviewed")]
    public void The_audit_rejects_a_wrong_reading(int codePoint, string reading, string why)
    {
        Assert.NotNull(Judge(codePoint, reading));
        Assert.False(string.IsNullOrEmpty(why));
    }

    [Theory]
    [InlineData("ɴᴜᴅᴇ", "nude")]
    [InlineData("ɴᴀᴢɪ", "nazi")]
    [InlineData("ᴄᴏᴄᴀɪɴᴇ", "cocaine")]
    [InlineData("ᴘᴏʀɴ", "porn")]
    [InlineData("ʜᴇɴᴛᴀɪ", "hentai")]
    public void Small_capitals_read_as_their_own_letters(string text, string expected)
    {
        Assert.Equal(expected, PromptTextNormalizer.Render(text));
    }

    [Fact]
    public void Small_capital_h_is_not_read_as_n()
    {
        var policy = CompiledPromptPolicy.CreateDefault();

        Assert.False(policy.Evaluate("ʜude").IsBlocked);
        Assert.True(policy.Evaluate("a ɴᴜᴅᴇ woman").IsBlocked);
        Assert.True(policy.Evaluate("ᴘᴏʀɴ").IsBlocked);
        Assert.True(policy.Evaluate("ɴᴀᴢɪ").IsBlocked);
    }

    /// <summary>Null when <paramref name="reading"/> is justified for <paramref name="codePoint"/>, else why not.</summary>
    private static string? Judge(int codePoint, string reading)
    {
        var (name, confusable) = Unicode[codePoint];
        if (LatinLetterOf(name) is { } letter)
        {
            return reading == letter
                ? null
                : $"{Format(codePoint)} {name} reads as '{reading}', but its name says '{letter}'.";
        }

        if (confusable.Contains(reading) || Reviewed.ContainsKey((codePoint, reading)))
        {
            return null;
        }

        return $"{Format(codePoint)} {name} reads as '{reading}': Unicode lists it as confusable with [{string.Join(", ", confusable)}], "
            + "and Policy/Data/lookalike-reviewed.txt gives no reason for it.";
    }

    /// <summary>The Latin letter a character's Unicode name names, or null (LATIN SMALL LETTER ALPHA, EURO SIGN).</summary>
    private static string? LatinLetterOf(string name)
    {
        var match = LatinLetterName().Match(name);
        return match.Success ? match.Groups["letter"].Value.ToLowerInvariant() : null;
    }

    [GeneratedRegex(@"\A(?:LATIN (?:CAPITAL |SMALL )?LETTER (?:SMALL CAPITAL |DOTLESS |SCRIPT )?|REGIONAL INDICATOR SYMBOL LETTER |NEGATIVE (?:CIRCLED|SQUARED) LATIN CAPITAL LETTER )(?<letter>[A-Z])(?: WITH [A-Z ]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex LatinLetterName();

    private static string Format(int codePoint) => "U+" + codePoint.ToString("X4", CultureInfo.InvariantCulture);

    private static int ParseCodePoint(string text) => int.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static IEnumerable<string[]> DataRows(string file) =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Policy", "Data", file))
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line.Split(';'));

    private static Dictionary<int, (string, string[])> LoadUnicodeData() =>
        DataRows("lookalike-unicode-data.txt").ToDictionary(
            row => ParseCodePoint(row[0]),
            row => (row[1], row[2].Split(' ', StringSplitOptions.RemoveEmptyEntries)));

    private static Dictionary<(int, string), string> LoadReviewed() =>
        DataRows("lookalike-reviewed.txt").ToDictionary(row => (ParseCodePoint(row[0]), row[1]), row => row[2]);
}
