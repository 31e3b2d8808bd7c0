using System.Text.Json;
using System.Text.RegularExpressions;

namespace DiffusionFunctions.Diffusion.Tests.Imaging;

/// <summary>
/// A reader of the web UI's infotext written from its format alone, independent of the engine's parser: the prompt (any
/// number of lines), an optional line starting "Negative prompt: " (which continues to the last line), and a last line of
/// "Key: value" pairs separated by ", ", where a value holding ',', ':' or a newline is a JSON string.
/// </summary>
internal static partial class InfotextReader
{
    public static (string Prompt, string NegativePrompt, Dictionary<string, string> Fields) Read(string text)
    {
        var lines = text.Split('\n');
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var last = lines[^1];
        var position = 0;
        foreach (Match pair in Pair().Matches(last))
        {
            Assert.Equal(position, pair.Index);   // nothing unread between pairs
            var value = pair.Groups[2].Value;
            fields.Add(pair.Groups[1].Value, value.StartsWith('"') ? JsonSerializer.Deserialize<string>(value)! : value);
            position = pair.Index + pair.Length;
        }

        Assert.Equal(last.Length, position);
        var body = lines[..^1];
        var negativeAt = Array.FindIndex(body, l => l.StartsWith("Negative prompt: ", StringComparison.Ordinal));
        var prompt = string.Join('\n', negativeAt < 0 ? body : body[..negativeAt]);
        var negative = negativeAt < 0 ? "" : string.Join('\n', body[negativeAt..])["Negative prompt: ".Length..];
        return (prompt, negative, fields);
    }

    [GeneratedRegex(@"\s*(\w[\w \-/]+): (""(?:\\.|[^\\""])*""|[^,]*)(?:,|$)")]
    private static partial Regex Pair();
}
