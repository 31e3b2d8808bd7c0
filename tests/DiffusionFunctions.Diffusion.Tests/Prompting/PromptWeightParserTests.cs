using DiffusionFunctions.Diffusion.Prompting;

namespace DiffusionFunctions.Diffusion.Tests.Prompting;

public sealed class PromptWeightParserTests
{
    // Expected values: the examples in AUTOMATIC1111's parse_prompt_attention docstring (modules/prompt_parser.py).
    public static TheoryData<string, string[], double[]> WebUiExamples() => new()
    {
        { "normal text", ["normal text"], [1.0] },
        { "an (important) word", ["an ", "important", " word"], [1.0, 1.1, 1.0] },
        { "(unbalanced", ["unbalanced"], [1.1] },
        { @"\(literal\]", ["(literal]"], [1.0] },
        { "(unnecessary)(parens)", ["unnecessaryparens"], [1.1] },
        {
            "a (((house:1.3)) [on] a (hill:0.5), sun, (((sky))).",
            ["a ", "house", " ", "on", " a ", "hill", ", sun, ", "sky", "."],
            [1.0, 1.5730000000000004, 1.1, 1.0, 1.1, 0.55, 1.1, 1.4641000000000006, 1.1]
        },
        { "[faded]", ["faded"], [1 / 1.1] },
        { "", [""], [1.0] },
        { "ratio 16:9 (x:oops)", ["ratio 16:9 ", "x:oops"], [1.0, 1.1] },
    };

    [Theory]
    [MemberData(nameof(WebUiExamples))]
    public void Parses_like_the_web_ui(string prompt, string[] texts, double[] weights)
    {
        var fragments = PromptWeightParser.Parse(prompt);

        Assert.Equal(texts, fragments.Select(f => f.Text));
        Assert.Equal(weights.Length, fragments.Count);
        for (var i = 0; i < weights.Length; i++)
        {
            Assert.Equal(weights[i], fragments[i].Weight, 5);
        }
    }

    [Fact]
    public void Break_is_a_chunk_break_only_as_an_upper_case_whole_word()
    {
        var fragments = PromptWeightParser.Parse("a cat BREAK a (dog)");

        Assert.Equal(["a cat", "BREAK", "a ", "dog"], fragments.Select(f => f.Text));
        Assert.Equal([false, true, false, false], fragments.Select(f => f.IsChunkBreak));
        Assert.Equal(1.1f, fragments[3].Weight);
        Assert.All(PromptWeightParser.Parse("a break, BREAKFAST, BREAKs"), f => Assert.False(f.IsChunkBreak));
    }

    [Fact]
    public void Adjacent_fragments_merge_only_when_their_double_weights_are_equal()
    {
        // 1.1 × 1.1 = 1.2100000000000002 in double, 1.21f in float32: the reference keeps two fragments, so "a" and "b" are
        // tokenised apart ("a", "b"), not as the word "ab".
        var split = PromptWeightParser.Parse("((a))(b:1.21)");
        Assert.Equal(["a", "b"], split.Select(f => f.Text));
        Assert.Equal([1.21f, 1.21f], split.Select(f => f.Weight));

        // 1.1 parsed and 1.0 × 1.1 are the same double: one fragment.
        Assert.Equal(["ab"], PromptWeightParser.Parse("(a:1.1)(b)").Select(f => f.Text));
    }

    [Theory]
    [InlineData("(cat:\uFF11.\uFF15)", 1.5)]   // fullwidth digits
    [InlineData("(cat:\u0661.\u0662)", 1.2)]   // Arabic-Indic digits
    [InlineData("(cat:\u0968)", 2.0)]           // Devanagari two
    public void Weights_read_any_unicode_decimal_digits_as_python_float_does(string escaped, double weight)
    {
        var prompt = System.Text.RegularExpressions.Regex.Unescape(escaped);
        var fragment = Assert.Single(PromptWeightParser.Parse(prompt));

        Assert.Equal("cat", fragment.Text);
        Assert.Equal((float)weight, fragment.Weight);
    }

    [Fact]
    public void A_malformed_weight_stays_literal_text_and_the_bracket_closes_at_the_end()
    {
        // The reference raises an error on "(a:1.2.3)"; the engine reads it tolerantly (documented in the README).
        var fragment = Assert.Single(PromptWeightParser.Parse("(a:1.2.3)"));

        Assert.Equal("a:1.2.3)", fragment.Text);
        Assert.Equal(1.1f, fragment.Weight);
    }

    [Fact]
    public void Weights_are_the_double_product_rounded_once_to_float32()
    {
        // The reference multiplies Python floats and hands torch float32: 1 / 1.1 → 0.90909094f, where float32 arithmetic
        // (1f / 1.1f) gives 0.9090909f, one unit in the last place away.
        Assert.Equal((float)(1 / 1.1), PromptWeightParser.Parse("[faded]")[0].Weight);
        Assert.Equal((float)(1.3 * 1.1 * 1.1), PromptWeightParser.Parse("(((house:1.3)))")[0].Weight);
        Assert.NotEqual(1f / 1.1f, (float)(1 / 1.1));
    }
}
