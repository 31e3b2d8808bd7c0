using System.Text;
using System.Text.Json;

namespace DiffusionFunctions.Core.Tests.Policy;

/// <summary>Small policy documents for the reload tests.</summary>
internal static class PolicyDocuments
{
    /// <summary>A version 1 document blocking the given words (category "test", match "word").</summary>
    public static string Words(params string[] words) => JsonSerializer.Serialize(new
    {
        version = 1,
        terms = words.Select(w => new { term = w, category = "test", match = "word" }),
    });

    /// <summary>The same, as UTF-8 bytes.</summary>
    public static byte[] WordsUtf8(params string[] words) => Encoding.UTF8.GetBytes(Words(words));

    /// <summary>A document that parses as JSON but is not a valid policy (unknown match kind).</summary>
    public const string Broken = """{ "version": 1, "terms": [ { "term": "blood", "category": "test", "match": "regex" } ] }""";
}
