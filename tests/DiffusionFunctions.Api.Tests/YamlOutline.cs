using System.Text.RegularExpressions;

namespace DiffusionFunctions.Api.Tests;

/// <summary>
/// A deliberately small reader for the block-style YAML subset <c>openapi.yaml</c> uses: nested mappings by
/// indentation, scalar values, sequences of scalars (and of mappings, kept as their first line), block scalars
/// (<c>&gt;</c>, <c>|</c>) skipped. Enough to compare paths, methods, operation ids and schema property names.
/// </summary>
internal sealed partial class YamlOutline
{
    private YamlOutline(string key, string? value)
    {
        Key = key;
        Value = value;
    }

    public string Key { get; }

    public string? Value { get; }

    public Dictionary<string, YamlOutline> Children { get; } = new(StringComparer.Ordinal);

    public List<string> Items { get; } = [];

    public YamlOutline this[string key] => Children.TryGetValue(key, out var child)
        ? child
        : throw new KeyNotFoundException($"'{Key}' has no key '{key}'; it has: {string.Join(", ", Children.Keys)}.");

    public static YamlOutline Parse(string text)
    {
        var root = new YamlOutline("(root)", null);
        var stack = new List<(int Indent, YamlOutline Node)> { (-1, root) };
        var skipDeeperThan = int.MaxValue;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            var indent = line.Length - trimmed.Length;
            if (indent > skipDeeperThan)
            {
                continue;
            }

            skipDeeperThan = int.MaxValue;
            while (stack[^1].Indent >= indent)
            {
                stack.RemoveAt(stack.Count - 1);
            }

            var parent = stack[^1].Node;
            if (trimmed.StartsWith("- ", StringComparison.Ordinal))
            {
                parent.Items.Add(Unquote(trimmed[2..].Trim()));
                skipDeeperThan = indent; // the rest of a mapping item
                continue;
            }

            var match = KeyLine().Match(trimmed);
            if (!match.Success)
            {
                throw new FormatException($"Unsupported YAML line: '{line}'.");
            }

            var key = Unquote(match.Groups["key"].Value);
            var value = match.Groups["value"].Value.Trim();
            var node = new YamlOutline(key, value.Length == 0 ? null : Unquote(value));
            parent.Children[key] = node;
            if (value is ">" or "|" or ">-" or "|-")
            {
                skipDeeperThan = indent;
                continue;
            }

            stack.Add((indent, node));
        }

        return root;
    }

    private static string Unquote(string text)
        => text.Length >= 2 && ((text[0] == '"' && text[^1] == '"') || (text[0] == '\'' && text[^1] == '\'')) ? text[1..^1] : text;

    [GeneratedRegex("""^(?<key>"[^"]+"|[^\s"'#\-][^:]*?):(?:\s+(?<value>.*))?$""")]
    private static partial Regex KeyLine();
}
