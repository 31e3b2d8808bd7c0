using DiffusionFunctions.Core.Policy;

namespace DiffusionFunctions.Core.Tests.Policy;

/// <summary>
/// The bypass table: attempts to sneak a blocked term past the filter that must be caught, and innocent prompts that
/// merely contain a term (the "Scunthorpe" problem) that must pass. Each row says why it is there.
/// </summary>
public sealed class PromptPolicyMatchingTests
{
    private static readonly CompiledPromptPolicy Policy = CompiledPromptPolicy.Create(
    [
        new("gore", "violence", PromptPolicyMatchKind.Word),
        new("ass", "profanity", PromptPolicyMatchKind.Word),
        new("sex", "sexual", PromptPolicyMatchKind.Word),
        new("rape", "violence", PromptPolicyMatchKind.Word),
        new("rapist", "violence", PromptPolicyMatchKind.Word),
        new("cunt", "profanity", PromptPolicyMatchKind.Word),
        new("cock", "profanity", PromptPolicyMatchKind.Word),
        new("kill", "violence", PromptPolicyMatchKind.Word),
        new("shit", "profanity", PromptPolicyMatchKind.Word),
        new("nazi", "hate", PromptPolicyMatchKind.Word),
        new("penis", "sexual", PromptPolicyMatchKind.Word),
        new("anal", "sexual", PromptPolicyMatchKind.Word),
        new("porn", "sexual", PromptPolicyMatchKind.Substring),
        new("self harm", "self-harm", PromptPolicyMatchKind.Phrase),
        new("blood bath", "violence", PromptPolicyMatchKind.Phrase),
        new("暴力", "violence", PromptPolicyMatchKind.Word),
        new("gory", "violence", PromptPolicyMatchKind.Word),
    ]);

    public static TheoryData<string, string, string> Caught => new()
    {
        { "a photo of gore", "gore", "the plain word" },
        { "GORE in the streets", "gore", "upper case" },
        { "GoRe", "gore", "mixed case" },
        { "ＧＯＲＥ", "gore", "fullwidth letters fold under NFKC" },
        { "𝐠𝐨𝐫𝐞 scene", "gore", "mathematical bold letters fold under NFKC" },
        { "ⓖⓞⓡⓔ", "gore", "circled letters fold under NFKC" },
        { "gōrè", "gore", "precomposed diacritics are stripped" },
        { "g\u0301o\u0308r\u0327e", "gore", "combining marks are stripped" },
        { "go\u200Bre", "gore", "zero-width space inside the word" },
        { "g\u00ADo\u2060r\uFEFFe", "gore", "soft hyphen, word joiner and BOM inside the word" },
        { "g\u200Co\u200Dre\uFE0F", "gore", "zero-width (non-)joiners and a variation selector" },
        { "go\U000E0041re", "gore", "an invisible tag character" },
        { "g\u0001o\u007Fre", "gore", "control characters" },
        { "gоrе", "gore", "Cyrillic о and е look like Latin o and e" },
        { "GОRЕ", "gore", "Cyrillic capitals О and Е" },
        { "gοrε", "gore", "Greek omicron and epsilon" },
        { "ɢᴏʀᴇ", "gore", "small capital letters" },
        { "🇬🇴🇷🇪", "gore", "regional indicator (flag) letters" },
        { "g0r3", "gore", "leetspeak digits 0 and 3" },
        { "g o r e", "gore", "letters separated by spaces" },
        { "g.o.r.e", "gore", "letters separated by dots" },
        { "g-o-r-e", "gore", "letters separated by dashes" },
        { "g_0_r_3", "gore", "separated leet letters" },
        { "g * o * r * e!", "gore", "letters separated by symbols and spaces" },
        { "a g o r e scene", "gore", "a spaced-out term after a one-letter word" },
        { "show g o r e a lot", "gore", "a spaced-out term before a one-letter word" },
        { "shot at f/1.8, g o r e", "gore", "single characters with other separators before the run are not part of it" },
        { "g.o.r.e x y", "gore", "a run ends where the separator changes" },
        { "gooooore", "gore", "a repeated letter" },
        { "ggggoooorrrreeee", "gore", "every letter repeated" },
        { "gores", "gore", "plural with s" },
        { "gore!", "gore", "trailing punctuation" },
        { "(gore)", "gore", "brackets" },
        { "blood,gore", "gore", "comma without a space" },
        { "the gore-fest", "gore", "hyphenated compound" },
        { "go.re", "gore", "a dot inside the word (tight reading)" },
        { "some g-o-re and ki_ll", "kill", "an underscore inside the word (tight reading)" },
        { "po.rn", "porn", "a substring term split by a dot" },
        { "a'ss", "ass", "an apostrophe inside the word" },
        { "a$$", "ass", "leet $ for s" },
        { "@ss", "ass", "leet @ for a" },
        { "a55", "ass", "leet 5 for s next to a letter" },
        { "a s s", "ass", "spaced letters keep their doubled s" },
        { "asses", "ass", "plural with es" },
        { "s3x", "sex", "leet 3 for e" },
        { "sexes", "sex", "plural with es" },
        { "k1ll", "kill", "1 read as i" },
        { "ki11", "kill", "1 read as l" },
        { "k!ll", "kill", "! read as i inside a word" },
        { "KILL", "kill", "capital I and L" },
        { "sh!t", "shit", "! inside a word" },
        { "nаzi", "nazi", "Cyrillic а" },
        { "self-harm", "self harm", "phrase joined by a hyphen" },
        { "SELF   HARM", "self harm", "phrase with extra spaces" },
        { "blood baths", "blood bath", "phrase with a plural last word" },
        { "pornographic", "porn", "substring term inside a longer word" },
        { "p0rn", "porn", "substring term with leet" },
        { "暴力行为", "暴力", "Han text has no spaces: every character boundary is a word boundary" },
        { "g🔥o🔥r🔥e", "gore", "letters separated by emoji" },
        { "g̷̢͓o̶͎r̵̨e̴͙", "gore", "Zalgo text (stacked combining marks)" },
        { "ｇ０ｒｅ", "gore", "fullwidth letters and digits" },
        { "s 3 x", "sex", "spaced letters with a leet digit" },
        { "$ex", "sex", "leading leet $" },
        { "s€x", "sex", "euro sign for e" },
        { "gօrе", "gore", "Armenian օ" },
        { "\u13C0or\u13AC", "gore", "Cherokee letters that look like G and E" },
        { "all the gories", "gory", "consonant + y plural: ies" },
    };

    public static TheoryData<string, string> Innocent => new()
    {
        { "gorgeous sunset over the sea", "contains 'gor' but not the word gore" },
        { "cottage in Gorey, Ireland", "'Gorey' is a different word" },
        { "go red, go re, go", "two-letter words are never joined into one" },
        { "an assassin in the shadows", "contains 'ass' inside a word" },
        { "a class of students", "'class' ends in 'ass'" },
        { "bass guitar and a cassette", "'ass' inside words" },
        { "assess the damage", "'ass' at the start of a word" },
        { "as far as I can see", "'as' is not 'ass': the doubled letter is required" },
        { "Scunthorpe United", "the classic: 'cunt' inside a town name" },
        { "Essex and Sussex countryside", "'sex' inside county names" },
        { "a brass sextant", "'sex' at the start of a word" },
        { "a cocktail on the beach", "'cock' inside a word" },
        { "the therapist's office", "'rapist' inside 'therapist'" },
        { "grapes on the vine, drapes and scrapes", "'rape' inside words" },
        { "skills of a skilled killer whale", "'kill' inside words" },
        { "shiitake mushrooms and Matsushita", "'shit' inside words" },
        { "analysis of the data", "'anal' inside a word" },
        { "a walk in Penistone", "'penis' inside a town name" },
        { "Nazareth at dawn", "'naz' is not 'nazi'" },
        { "ГОРЕ и радость", "Cyrillic Г folds like its small form г (to r): the Russian word for grief reads 'rope', not 'gore'" },
        { "room 455 on floor 3", "numbers are not leetspeak (455 is not 'ass')" },
        { "hello world!", "trailing ! is punctuation, not a letter" },
        { "p o r t r a i t of a lady", "spaced letters that spell no term" },
        { "a logo with the letter-spaced wordmark C L A S S I C", "joined letters form one word: 'classic' does not contain the word 'ass'" },
        { "B A S S and G L A S S posters", "a joined run's first letter only stands alone when it is 'a' or 'i'" },
        { "C L A S S A", "a trailing 'a' stands alone, but 'class' still does not contain the word 'ass'" },
        { "a self-portrait and a blood bank", "phrase words with other neighbours" },
        { "t-shirt, x-ray, sci-fi, e.g. as-is, well-dressed, class-action", "joining hyphenated and dotted words spells no term" },
        { "an Essex-based therapist's grape-vine", "joined compounds still contain terms only inside words" },
        { "暴风雨中的城市", "shares a character with a Han term but not the term" },
        { "allegory and categories", "'gory' and 'gories' inside words" },
        { "", "empty text" },
        { "   \u200B\u00AD ", "only invisible characters and spaces" },
    };

    [Theory]
    [MemberData(nameof(Caught))]
    public void Bypass_attempt_is_caught(string text, string expectedTerm, string reason)
    {
        var verdict = Policy.Evaluate(text);

        Assert.True(verdict.IsBlocked, $"'{text}' should be blocked ({reason}); normalised: '{PromptTextNormalizer.Render(text)}'");
        Assert.Contains(verdict.Matches, m => m.Term == expectedTerm);
    }

    [Theory]
    [MemberData(nameof(Innocent))]
    public void Innocent_text_passes(string text, string reason)
    {
        var verdict = Policy.Evaluate(text);

        Assert.False(
            verdict.IsBlocked,
            $"'{text}' should pass ({reason}) but matched {string.Join(", ", verdict.Matches.Select(m => m.Term))}; normalised: '{PromptTextNormalizer.Render(text)}'");
        Assert.Same(PromptPolicyVerdict.Allowed, verdict);
    }

    [Fact]
    public void Match_reports_the_policy_term_as_written_and_its_category()
    {
        var policy = CompiledPromptPolicy.Create([new("Gore", "Violence", PromptPolicyMatchKind.Word)]);

        var verdict = policy.Evaluate("so much G0R3");

        Assert.Equal([new PromptPolicyMatch("Gore", "Violence")], verdict.Matches);
    }

    [Fact]
    public void Verdict_lists_each_matched_term_once_in_order_of_first_occurrence()
    {
        var verdict = Policy.Evaluate("sex, gore, GORE, g0r3, gores and more s3x, then k1ll");

        Assert.True(verdict.IsBlocked);
        Assert.Equal(
            [new PromptPolicyMatch("sex", "sexual"), new PromptPolicyMatch("gore", "violence"), new PromptPolicyMatch("kill", "violence")],
            verdict.Matches);
    }

    [Fact]
    public void More_distinct_matches_than_the_stack_buffer_holds_are_all_reported_in_order()
    {
        var words = Enumerable.Range(0, 20).Select(i => "term" + (char)('a' + i)).ToArray();
        var policy = CompiledPromptPolicy.Create(words.Select(w => new PromptPolicyTerm(w, "test", PromptPolicyMatchKind.Word)).ToList());

        var verdict = policy.Evaluate(string.Join(" and ", words.Reverse()) + " " + string.Join(' ', words));

        Assert.Equal(words.Reverse(), verdict.Matches.Select(m => m.Term));
    }

    [Fact]
    public void Long_text_beyond_the_stack_buffers_is_still_checked()
    {
        var text = string.Concat(Enumerable.Repeat("a peaceful meadow with flowers, ", 200)) + "g0re";

        Assert.Equal([new PromptPolicyMatch("gore", "violence")], Policy.Evaluate(text).Matches);
    }

    [Fact]
    public void Long_non_ascii_text_is_still_checked()
    {
        var text = string.Concat(Enumerable.Repeat("une prairie paisible avec des fleurs, ", 100)) + "gōrè";

        Assert.Equal([new PromptPolicyMatch("gore", "violence")], Policy.Evaluate(text).Matches);
    }

    [Fact]
    public void Unpaired_surrogates_do_not_break_the_check()
    {
        Assert.True(Policy.Evaluate("\uD800 gore \uDC00").IsBlocked);
        Assert.False(Policy.Evaluate("\uD800 meadow \uDC00").IsBlocked);
        Assert.True(Policy.Evaluate("gōre\uFFFE").IsBlocked); // a noncharacter that Unicode normalisation rejects
    }

    [Fact]
    public void An_allowed_ascii_check_allocates_nothing()
    {
        // ASCII text skips Unicode normalisation; non-ASCII text goes through the BCL's ICU call, whose allocations
        // (none or a few bytes, depending on the text) this test does not pin down.
        const string text = "a peaceful meadow with wildflowers at golden hour, highly detailed, 8k, trending on artstation";
        Policy.Evaluate(text); // warm up: JIT, static tables
        var before = GC.GetAllocatedBytesForCurrentThread();

        for (var i = 0; i < 100; i++)
        {
            Policy.Evaluate(text);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData("kiil", "a doubled i is not the ll of kill")]
    [InlineData("go re", "two-letter words are not joined")]
    [InlineData("gore2", "letters glued to a digit stay one word")]
    [InlineData("k|ll", "| separates words")]
    [InlineData("I A M A G O R E F A N", "a whole spaced-out sentence is one joined word")]
    [InlineData("g.o-r e", "a run with mixed separators is not joined")]
    [InlineData("blood ba.th", "a phrase needing the tight reading of one word and a plain neighbour")]
    public void Documented_limits_hold(string text, string reason)
    {
        Assert.False(Policy.Evaluate(text).IsBlocked, reason);
    }

    [Fact]
    public void Terms_in_other_scripts_match_through_the_sparse_edges()
    {
        var policy = CompiledPromptPolicy.Create(
        [
            new("暴力", "violence", PromptPolicyMatchKind.Word),
            new("血腥", "violence", PromptPolicyMatchKind.Word),
            new("жесть", "violence", PromptPolicyMatchKind.Word),
            new("gore", "violence", PromptPolicyMatchKind.Word),
        ]);

        Assert.Equal(["血腥", "暴力"], policy.Evaluate("血腥暴力的场面").Matches.Select(m => m.Term));
        Assert.Equal(["жесть", "gore"], policy.Evaluate("какая ЖЕСТЬ, such gore").Matches.Select(m => m.Term));
        Assert.Equal(["gore"], policy.Evaluate("暴风雨gore").Matches.Select(m => m.Term));
        Assert.False(policy.Evaluate("жестянка и暴风雨").IsBlocked); // a tin can and a storm
    }

    [Theory]
    [InlineData("G.0.R.3", "gore")]
    [InlineData("Gooooore!!", "goore")]
    [InlineData("a$$", "ass")]
    [InlineData("k1ll", "k1ll")]
    [InlineData("ki11", "ki11")]
    [InlineData("KILL", "kill")]
    [InlineData("ＧＯＲＥ gōrè", "gore gore")]
    [InlineData("room 455", "room 455")]
    [InlineData("a g o", "a·go")]
    [InlineData("C L A S S", "class")]
    [InlineData("gore血", "gore 血")]
    [InlineData("hi-res go.re, k.i_ll", "hi res go re k i ll")]
    public void Normaliser_renders_the_expected_stream(string text, string expected)
    {
        Assert.Equal(expected, PromptTextNormalizer.Render(text));
    }

    [Theory]
    [InlineData("hi-res go.re, k.i_ll gore", "hires gore kill")]
    [InlineData("no punctuation inside words, at all.", "")]
    [InlineData("g.ore 暴-力 x", "gore 暴力")]
    public void Tight_reading_keeps_only_the_words_with_punctuation_inside(string text, string expected)
    {
        var decomposed = text.Normalize(System.Text.NormalizationForm.FormKD);
        var isAscii = System.Text.Ascii.IsValid(decomposed);
        var max = PromptTextNormalizer.MaxLength(decomposed.Length, isAscii);
        var (scratch, symbols, flags) = (new char[max], new char[max], new byte[max]);

        var count = PromptTextNormalizer.Normalize(decomposed, isAscii, scratch, symbols, flags, joinTight: true, out var sawTight);

        Assert.Equal(expected.Length > 0, sawTight);
        var rendered = new System.Text.StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var letter = flags[i] & (PromptTextNormalizer.LetterI | PromptTextNormalizer.LetterL);
            var c = letter == PromptTextNormalizer.LetterL ? 'l' : symbols[i];
            rendered.Append(c);
            if ((flags[i] & PromptTextNormalizer.Doubled) != 0)
            {
                rendered.Append(c);
            }
        }

        Assert.Equal(expected, rendered.ToString());
    }
}
