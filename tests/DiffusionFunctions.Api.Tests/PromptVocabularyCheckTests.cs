using DiffusionFunctions.Api.Models;

namespace DiffusionFunctions.Api.Tests;

public sealed class PromptVocabularyCheckTests
{
    private static readonly string[] Vocabulary = ["a", "red", "star", "on", "white", "background"];

    [Theory]
    [InlineData("a red star on a white background", "")]
    [InlineData("A RED Star", "")]
    [InlineData("(red star:1.3), [white] background", "")]
    [InlineData("a red fox on a red fox", "fox")]
    [InlineData("a dog's red ball", "dog's ball")]
    [InlineData("über red star 42", "über")]
    public void Finds_the_distinct_unknown_words_in_prompt_order(string prompt, string expected)
    {
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), PromptVocabularyCheck.UnknownWords(prompt, Vocabulary));
    }

    [Fact]
    public void Names_at_most_ten_words_and_counts_the_rest()
    {
        var unknown = Enumerable.Range(0, 13).Select(i => "word" + (char)('a' + i)).ToList();

        var warnings = PromptVocabularyCheck.Warnings("tiny-shapes", unknown);

        Assert.Equal(11, warnings.Count);
        Assert.Contains("'worda'", warnings[0], StringComparison.Ordinal);
        Assert.StartsWith("... and 3 more words", warnings[10], StringComparison.Ordinal);
    }
}
