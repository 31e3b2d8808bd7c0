using System.Text;
using DiffusionFunctions.Core.Policy;

namespace DiffusionFunctions.Core.Tests.Policy;

/// <summary>
/// Properties checked over many generated texts (fixed seeds, so every run checks the same texts): no input breaks the
/// check, and transformations that a bypass would use never change the verdict.
/// </summary>
public sealed class PromptPolicyPropertyTests
{
    private static readonly CompiledPromptPolicy Policy = CompiledPromptPolicy.Create(
    [
        new("gore", "violence", PromptPolicyMatchKind.Word),
        new("ass", "profanity", PromptPolicyMatchKind.Word),
        new("kill", "violence", PromptPolicyMatchKind.Word),
        new("self harm", "self-harm", PromptPolicyMatchKind.Phrase),
        new("porn", "sexual", PromptPolicyMatchKind.Substring),
        new("暴力", "violence", PromptPolicyMatchKind.Word),
        new("жесть", "violence", PromptPolicyMatchKind.Word),
    ]);

    private static readonly string[] Words =
    [
        "gore", "ass", "kill", "self", "harm", "porn", "a", "i", "the", "class", "gorgeous", "killer", "skill", "meadow",
        "sunset", "暴力", "暴风雨", "жесть", "жестянка", "castle", "g", "o", "r", "e", "s", "1", "0", "3", "$", "@", "!",
    ];

    [Fact]
    public void Random_unicode_never_breaks_the_check_and_gives_the_same_verdict_twice()
    {
        var random = new Random(1234);
        for (var i = 0; i < 5_000; i++)
        {
            var length = random.Next(0, 600);
            var builder = new StringBuilder(length);
            for (var k = 0; k < length; k++)
            {
                builder.Append(random.Next(10) switch
                {
                    < 5 => (char)random.Next(0x20, 0x7F),
                    5 => (char)random.Next(0x300, 0x370), // combining marks
                    6 => (char)random.Next(0xD800, 0xE000), // surrogates, paired or not
                    7 => (char)random.Next(0x4E00, 0x4F00), // Han
                    8 => (char)random.Next(0x400, 0x500), // Cyrillic
                    _ => (char)random.Next(0x80, 0xFFFF),
                });
            }

            var text = builder.ToString();
            var first = Policy.Evaluate(text);
            var second = Policy.Evaluate(text);

            Assert.Equal(first.IsBlocked, first.Matches.Count > 0);
            Assert.Equal(first.Matches, second.Matches);
        }
    }

    [Fact]
    public void Invisible_characters_case_and_diacritics_never_change_the_verdict()
    {
        var random = new Random(42);
        string[] invisible = ["\u200B", "\u200C", "\u200D", "\u2060", "\u00AD", "\uFEFF", "\uFE0F", "\u0301"];
        for (var i = 0; i < 2_000; i++)
        {
            var text = string.Join(random.Next(4) == 0 ? ", " : " ", Enumerable.Range(0, random.Next(1, 12)).Select(_ => Words[random.Next(Words.Length)]));
            var expected = Policy.Evaluate(text).Matches;

            var disguised = new StringBuilder();
            foreach (var c in text)
            {
                disguised.Append(random.Next(3) == 0 ? char.ToUpperInvariant(c) : c);
                if (char.IsLetter(c) && random.Next(4) == 0)
                {
                    disguised.Append(invisible[random.Next(invisible.Length)]);
                }
            }

            Assert.True(
                expected.SequenceEqual(Policy.Evaluate(disguised.ToString()).Matches),
                $"'{text}' and its disguise '{disguised}' got different verdicts");
        }
    }

    [Fact]
    public void Any_text_containing_a_blocked_word_between_spaces_is_blocked()
    {
        var random = new Random(7);
        string[] innocent = ["meadow", "sunset", "castle", "gorgeous", "class", "skill", "a", "the", "暴风雨", "жестянка"];
        string[] blocked = ["gore", "ass", "kill", "porn", "self harm", "暴力", "жесть"];
        for (var i = 0; i < 2_000; i++)
        {
            var words = Enumerable.Range(0, random.Next(0, 10)).Select(_ => innocent[random.Next(innocent.Length)]).ToList();
            var term = blocked[random.Next(blocked.Length)];
            words.Insert(random.Next(words.Count + 1), term);
            var text = string.Join(" ", words);

            Assert.Contains(Policy.Evaluate(text).Matches, m => m.Term == term);
        }
    }
}
