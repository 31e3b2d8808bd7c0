using DiffusionFunctions.Core.Policy;

namespace DiffusionFunctions.Core.Tests.Policy;

/// <summary>
/// Look-alikes that imitate two Latin letters produce both readings: Greek small nu looks like v and is the Greek n,
/// a bare vertical stroke (Greek capital iota, Cyrillic І and palochka) is I or l. The second reading of a Greek letter
/// is only taken inside a word that mixes scripts, so ordinary Greek text is read one way only.
/// </summary>
public sealed class AmbiguousLookAlikeTests
{
    private static readonly CompiledPromptPolicy Default = CompiledPromptPolicy.CreateDefault();

    private static readonly CompiledPromptPolicy GreekWords = CompiledPromptPolicy.Create(
    [
        new("ena", "test", PromptPolicyMatchKind.Word), // Greek "ένα" (one) in the n reading of ν
        new("vai", "test", PromptPolicyMatchKind.Word), // Greek "ναι" (yes) in the first reading of ν
        new("kill", "violence", PromptPolicyMatchKind.Word),
    ]);

    [Theory]
    [InlineData("νаzi", "nazi", "Greek nu and Cyrillic a")]
    [InlineData("a νazi flag", "nazi", "Greek nu in a Latin word")]
    [InlineData("ΝΑΖΙ", "nazi", "Greek capitals: nu is N, iota is I")]
    [InlineData("ɴаᴢі", "nazi", "small capitals and Cyrillic")]
    [InlineData("ӏoli", "loli", "Cyrillic small palochka read as l")]
    [InlineData("ІoІi", "loli", "Cyrillic capital І read as l and as i")]
    [InlineData("υnde nυde", "nude", "Greek upsilon as u")]
    public void Both_readings_of_an_ambiguous_look_alike_are_checked(string text, string term, string reason)
    {
        var verdict = Default.Evaluate(text);

        Assert.True(verdict.IsBlocked, $"'{text}' should be blocked ({reason}); normalised: '{PromptTextNormalizer.Render(text)}'");
        Assert.Contains(verdict.Matches, m => m.Term == term);
    }

    [Theory]
    [InlineData("kΙll", "Greek capital iota as l")]
    [InlineData("KΙLL", "Greek capital iota as I")]
    [InlineData("kіӏӏ", "Cyrillic і and palochkas")]
    public void A_vertical_stroke_reads_as_i_and_as_l(string text, string reason)
    {
        Assert.True(GreekWords.Evaluate(text).IsBlocked, reason);
    }

    [Theory]
    [InlineData("ένα νέο σπίτι στην πόλη")]
    [InlineData("Η νύχτα ήταν ήσυχη και ο ουρανός γεμάτος αστέρια")]
    [InlineData("Ένα καράβι στο λιμάνι")]
    public void Ordinary_Greek_text_keeps_the_first_reading_only(string text)
    {
        var verdict = GreekWords.Evaluate(text);

        Assert.False(verdict.IsBlocked, $"'{text}' matched {string.Join(", ", verdict.Matches.Select(m => m.Term))}");
        Assert.False(Default.Evaluate(text).IsBlocked);
    }

    [Fact]
    public void The_first_reading_of_nu_still_applies_to_whole_greek_words()
    {
        // "vai" is how "ναι" reads in the first reading: the table's v for ν is not lost by adding the n reading.
        Assert.True(GreekWords.Evaluate("ναι").IsBlocked);
    }

    [Fact]
    public void The_second_reading_applies_inside_a_mixed_word()
    {
        Assert.True(GreekWords.Evaluate("ενa").IsBlocked); // Greek ε ν and a Latin a: a mixed word, read "ena"
    }
}
