using System.Globalization;
using System.Text.RegularExpressions;

namespace DiffusionFunctions.Diffusion.Prompting;

/// <summary>
/// Parses the emphasis syntax of the common Stable Diffusion web UIs (AUTOMATIC1111's <c>parse_prompt_attention</c> in
/// <c>modules/prompt_parser.py</c>): <c>(text)</c> multiplies attention by 1.1, <c>[text]</c> divides by 1.1,
/// <c>(text:1.3)</c> multiplies by 1.3, brackets nest and multiply, unbalanced brackets close at the end, and
/// <c>\(</c> <c>\)</c> <c>\[</c> <c>\]</c> <c>\\</c> are literal. Adjacent runs of equal weight are merged.
/// The web UI's <c>BREAK</c> keyword is not supported (read as text).
/// </summary>
public static partial class PromptWeightParser
{
    /// <summary>The <c>(text)</c> multiplier.</summary>
    public const float RoundBracketMultiplier = 1.1f;

    /// <summary>The <c>[text]</c> multiplier.</summary>
    public const float SquareBracketMultiplier = 1f / 1.1f;

    /// <summary>Splits <paramref name="prompt"/> into weighted fragments; an empty prompt gives one empty fragment of weight 1.</summary>
    public static IReadOnlyList<PromptFragment> Parse(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var texts = new List<string>();
        var weights = new List<float>();
        var round = new Stack<int>();
        var square = new Stack<int>();

        void MultiplyFrom(int start, float multiplier)
        {
            for (var p = start; p < weights.Count; p++)
            {
                weights[p] *= multiplier;
            }
        }

        foreach (Match match in AttentionToken().Matches(prompt))
        {
            var token = match.Value;
            var weight = match.Groups[1];
            if (token.StartsWith('\\'))
            {
                texts.Add(token[1..]);
                weights.Add(1f);
            }
            else if (token == "(")
            {
                round.Push(texts.Count);
            }
            else if (token == "[")
            {
                square.Push(texts.Count);
            }
            else if (weight.Success && round.Count > 0
                && float.TryParse(weight.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var explicitWeight))
            {
                MultiplyFrom(round.Pop(), explicitWeight);
            }
            else if (token == ")" && round.Count > 0)
            {
                MultiplyFrom(round.Pop(), RoundBracketMultiplier);
            }
            else if (token == "]" && square.Count > 0)
            {
                MultiplyFrom(square.Pop(), SquareBracketMultiplier);
            }
            else
            {
                texts.Add(token);
                weights.Add(1f);
            }
        }

        foreach (var start in round)
        {
            MultiplyFrom(start, RoundBracketMultiplier);
        }

        foreach (var start in square)
        {
            MultiplyFrom(start, SquareBracketMultiplier);
        }

        var result = new List<PromptFragment>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (result.Count > 0 && result[^1].Weight == weights[i])
            {
                result[^1] = result[^1] with { Text = result[^1].Text + texts[i] };
            }
            else
            {
                result.Add(new PromptFragment(texts[i], weights[i]));
            }
        }

        return result.Count == 0 ? [new PromptFragment("", 1f)] : result;
    }

    // The web UI's re_attention, alternative for alternative.
    [GeneratedRegex(@"\\\(|\\\)|\\\[|\\\]|\\\\|\\|\(|\[|:\s*([+-]?[.\d]+)\s*\)|\)|\]|[^\\()\[\]:]+|:", RegexOptions.CultureInvariant)]
    private static partial Regex AttentionToken();
}
