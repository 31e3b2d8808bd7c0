using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace DiffusionFunctions.Core.Logos;

/// <summary>
/// How a brief becomes prompts: a JSON file (<c>logo_template.json</c>) with a <c>prompt</c> pattern, a
/// <c>negativePrompt</c> and defaults. Placeholders: <c>{brand}</c>, <c>{tagline}</c>, <c>{style}</c>, <c>{motif}</c> (this
/// logo's shape or motif), <c>{color}</c> / <c>{a_color}</c> (this logo's colour, with "a"/"an"), <c>{background}</c> /
/// <c>{a_background}</c>, <c>{colors}</c> (all colours, "red and white"). After filling, empty comma-separated parts are
/// dropped and spaces collapsed, so an absent tagline leaves no ", ," behind.
/// </summary>
public sealed partial record LogoPromptTemplate
{
    /// <summary>The placeholders a pattern may use.</summary>
    public static readonly IReadOnlySet<string> Placeholders = new HashSet<string>(StringComparer.Ordinal)
    {
        "brand", "tagline", "style", "motif", "color", "a_color", "background", "a_background", "colors",
    };

    private static readonly JsonSerializerOptions ReadOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>A note for people reading the file; not used.</summary>
    public string? Description { get; init; }

    /// <summary>The prompt pattern (required).</summary>
    public string Prompt { get; init; } = string.Empty;

    /// <summary>The negative prompt used when the brief has none; empty for none.</summary>
    public string? NegativePrompt { get; init; }

    /// <summary><c>{style}</c> when the brief has no style.</summary>
    public string DefaultStyle { get; init; } = string.Empty;

    /// <summary><c>{motif}</c> when the brief has no shapes or motifs.</summary>
    public string DefaultMotif { get; init; } = string.Empty;

    /// <summary><c>{background}</c> when the brief has only one colour.</summary>
    public string DefaultBackground { get; init; } = "white";

    /// <summary>Parses and checks a template file's text; <paramref name="origin"/> names it in errors.</summary>
    /// <exception cref="LogoTemplateException">The text is not a valid template.</exception>
    public static LogoPromptTemplate Parse(string json, string origin)
    {
        LogoPromptTemplate? template;
        try
        {
            template = JsonSerializer.Deserialize<LogoPromptTemplate>(json, ReadOptions);
        }
        catch (JsonException ex)
        {
            throw new LogoTemplateException($"The logo prompt template {origin} is not valid: {ex.Message}", ex);
        }

        if (template is null || string.IsNullOrWhiteSpace(template.Prompt))
        {
            throw new LogoTemplateException($"The logo prompt template {origin} has no 'prompt'.");
        }

        foreach (Match match in PlaceholderPattern().Matches(template.Prompt))
        {
            if (!Placeholders.Contains(match.Groups[1].Value))
            {
                throw new LogoTemplateException(
                    $"The logo prompt template {origin} uses the unknown placeholder '{match.Value}'; known: {string.Join(", ", Placeholders.Select(p => "{" + p + "}"))}.");
            }
        }

        return template;
    }

    /// <summary>The prompt of logo <paramref name="index"/> (0-based) of <paramref name="brief"/>.</summary>
    public string Render(LogoBrief brief, int index)
    {
        ArgumentNullException.ThrowIfNull(brief);
        var colors = brief.Colors ?? [];
        var foreground = colors.Count >= 2 ? colors.Take(colors.Count - 1).ToList() : [.. colors];
        var background = colors.Count >= 2 ? colors[^1] : DefaultBackground;
        var motifs = (brief.Shapes ?? []).Concat(brief.Motifs ?? []).ToList();
        var motif = motifs.Count == 0 ? DefaultMotif : motifs[index % motifs.Count];
        var color = foreground.Count == 0 ? string.Empty : foreground[index / Math.Max(1, motifs.Count) % foreground.Count];
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["brand"] = brief.Brand ?? string.Empty,
            ["tagline"] = brief.Tagline ?? string.Empty,
            ["style"] = string.IsNullOrWhiteSpace(brief.Style) ? DefaultStyle : brief.Style,
            ["motif"] = motif,
            ["color"] = color,
            ["a_color"] = WithArticle(color),
            ["background"] = background,
            ["a_background"] = WithArticle(background),
            ["colors"] = JoinWords(colors),
        };
        var filled = PlaceholderPattern().Replace(Prompt, m => values[m.Groups[1].Value]);
        return Tidy(filled);
    }

    private static string WithArticle(string word)
        => word.Length == 0 ? string.Empty : ("aeiouAEIOU".Contains(word[0], StringComparison.Ordinal) ? "an " : "a ") + word;

    private static string JoinWords(IReadOnlyList<string> words) => words.Count switch
    {
        0 => string.Empty,
        1 => words[0],
        _ => string.Join(", ", words.Take(words.Count - 1)) + " and " + words[^1],
    };

    private static string Tidy(string text)
    {
        var parts = text.Split(',').Select(p => Whitespace().Replace(p, " ").Trim()).Where(p => p.Length > 0);
        return new StringBuilder().AppendJoin(", ", parts).ToString();
    }

    [GeneratedRegex(@"\{([a-z_]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}

/// <summary>A logo prompt template file is missing, unreadable or invalid.</summary>
public sealed class LogoTemplateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LogoTemplateException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public LogoTemplateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public LogoTemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
