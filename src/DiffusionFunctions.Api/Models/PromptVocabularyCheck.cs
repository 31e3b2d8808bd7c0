using System.Globalization;
using System.Text;

namespace DiffusionFunctions.Api.Models;

/// <summary>
/// Finds the prompt words a model does not know, for the <c>warnings</c> of a submit's answer. Words are runs of letters
/// (apostrophes inside a word kept), compared in lower case; numbers and punctuation (prompt weights such as
/// <c>(star:1.2)</c>) are not words.
/// </summary>
public static class PromptVocabularyCheck
{
    /// <summary>Unknown words named one by one; past this, one more warning counts the rest.</summary>
    public const int MaxNamedWords = 10;

    /// <summary>The distinct words of <paramref name="prompt"/> missing from <paramref name="vocabulary"/>, in prompt order.</summary>
    public static IReadOnlyList<string> UnknownWords(string prompt, IReadOnlyCollection<string> vocabulary)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(vocabulary);
        var known = vocabulary as ISet<string> ?? new HashSet<string>(vocabulary, StringComparer.Ordinal);
        var unknown = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in Words(prompt))
        {
            if (!known.Contains(word) && seen.Add(word))
            {
                unknown.Add(word);
            }
        }

        return unknown;
    }

    /// <summary>The warnings for <paramref name="unknown"/> words of model <paramref name="model"/>.</summary>
    public static IReadOnlyList<string> Warnings(string model, IReadOnlyList<string> unknown)
    {
        ArgumentNullException.ThrowIfNull(unknown);
        var warnings = unknown.Take(MaxNamedWords)
            .Select(word => $"The model '{model}' does not know the word '{word}', so it cannot draw what it means; GET /api/models lists the words it knows.")
            .ToList();
        if (unknown.Count > MaxNamedWords)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"... and {unknown.Count - MaxNamedWords} more words the model '{model}' does not know."));
        }

        return warnings;
    }

    private static IEnumerable<string> Words(string prompt)
    {
        var word = new StringBuilder();
        for (var i = 0; i <= prompt.Length; i++)
        {
            var c = i < prompt.Length ? prompt[i] : ' ';
            var inside = char.IsLetter(c) || (c == '\'' && word.Length > 0 && i + 1 < prompt.Length && char.IsLetter(prompt[i + 1]));
            if (inside)
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }
        }
    }
}
