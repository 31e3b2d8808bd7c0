using System.Text.Json;
using System.Text.Json.Serialization;

namespace DiffusionFunctions.Diffusion.Tests.Tokenization;

/// <summary>One prompt of a golden table written by tools/reference/clip_tokenizer_reference.py.</summary>
public sealed record ClipGoldenPrompt(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("ids")] int[] Ids,
    [property: JsonPropertyName("input_ids")] int[]? InputIds,
    [property: JsonPropertyName("input_ids_pad0")] int[]? InputIdsPad0,
    [property: JsonPropertyName("truncated")] int? Truncated,
    [property: JsonPropertyName("decoded")] string? Decoded);

/// <summary>A golden table: where it came from and its prompts.</summary>
public sealed record ClipGoldenTable(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("prompts")] IReadOnlyList<ClipGoldenPrompt> Prompts)
{
    public static ClipGoldenTable Load(string fileName)
    {
        using var stream = File.OpenRead(ClipTestData.DataFile(fileName));
        return JsonSerializer.Deserialize<ClipGoldenTable>(stream)
            ?? throw new InvalidDataException($"{fileName} is empty.");
    }
}
