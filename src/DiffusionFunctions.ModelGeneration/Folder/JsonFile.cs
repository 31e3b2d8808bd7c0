using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DiffusionFunctions.ModelGeneration.Folder;

/// <summary>Writes indented UTF-8 JSON files (LF line endings, trailing newline), byte-identical for equal content.</summary>
internal static class JsonFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task WriteAsync(string path, JsonNode content, CancellationToken cancellationToken)
    {
        var text = content.ToJsonString(Options).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
        await File.WriteAllTextAsync(path, text, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
    }

    public static JsonArray Array(params JsonNode?[] items) => new(items);

    public static JsonArray Numbers(IEnumerable<int> values) => new([.. values.Select(v => (JsonNode?)v)]);

    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)v)]);
}
