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
}
