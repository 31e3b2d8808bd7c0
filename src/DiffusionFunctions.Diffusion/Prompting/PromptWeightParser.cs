using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DiffusionFunctions.Diffusion.Prompting;

/// <summary>
/// Parses the emphasis syntax of the common Stable Diffusion web UIs (AUTOMATIC1111's <c>parse_prompt_attention</c> in
/// <c>modules/prompt_parser.py</c>, as its wiki describes it): <c>(text)</c> multiplies attention by 1.1, <c>[text]</c>
/// divides by 1.1, <c>(text:1.3)</c> multiplies by 1.3, brackets nest and multiply, unbalanced brackets close at the end,
/// <c>\(</c> <c>\)</c> <c>\[</c> <c>\]</c> <c>\\</c> are literal, and the word <c>BREAK</c> (upper case, whole word, with the
/// spaces around it) becomes a <see cref="PromptFragment.ChunkBreak"/>.
/// </summary>
/// <remarks>
/// Weights are multiplied in double precision and adjacent runs merge only when their double weights are equal, as the
/// reference's Python floats do; the fragment carries the weight rounded once to float32 (what the reference hands the
/// text encoder). Weight digits may be any Unicode decimal digits (<c>(cat:１.５)</c> is 1.5), as Python's <c>float</c> reads
/// them. A weight that is not a number, such as <c>(a:1.2.3)</c> (where the reference raises an error), is read tolerantly:
/// the text <c>:1.2.3)</c> stays literal and the bracket closes at the end with 1.1. A <c>BREAK</c> inside brackets still
/// breaks the chunk (the reference then encodes the word with a negative weight, which no one means).
/// </remarks>
public static partial class PromptWeightParser
{
    /// <summary>The <c>(text)</c> multiplier.</summary>
    public const float RoundBracketMultiplier = 1.1f;

    /// <summary>The <c>[text]</c> multiplier.</summary>
    public const float SquareBracketMultiplier = 1f / 1.1f;

    private const double RoundMultiplier = 1.1, SquareMultiplier = 1 / 1.1;

    /// <summary>Splits <paramref name="prompt"/> into weighted fragments; an empty prompt gives one empty fragment of weight 1.</summary>
    public static IReadOnlyList<PromptFragment> Parse(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var texts = new List<string>();
        var weights = new List<double>();
        var breaks = new List<bool>();
        var round = new Stack<int>();
        var square = new Stack<int>();

        void MultiplyFrom(int start, double multiplier)
        {
            for (var p = start; p < weights.Count; p++)
            {
                weights[p] *= multiplier;
            }
        }

        void AddText(string text, bool splitOnBreak)
        {
            var parts = splitOnBreak ? BreakKeyword().Split(text) : [text];
            for (var i = 0; i < parts.Length; i++)
            {
                if (i > 0)
                {
                    texts.Add(PromptFragment.BreakKeyword);
                    weights.Add(1.0);
                    breaks.Add(true);
                }

                texts.Add(parts[i]);
                weights.Add(1.0);
                breaks.Add(false);
            }
        }

        foreach (Match match in AttentionToken().Matches(prompt))
        {
            var token = match.Value;
            var weight = match.Groups[1];
            if (token.StartsWith('\\'))
            {
                AddText(token[1..], splitOnBreak: false);
            }
            else if (token == "(")
            {
                round.Push(texts.Count);
            }
            else if (token == "[")
            {
                square.Push(texts.Count);
            }
            else if (weight.Success && round.Count > 0 && TryParseWeight(weight.Value, out var explicitWeight))
            {
                MultiplyFrom(round.Pop(), explicitWeight);
            }
            else if (token == ")" && round.Count > 0)
            {
                MultiplyFrom(round.Pop(), RoundMultiplier);
            }
            else if (token == "]" && square.Count > 0)
            {
                MultiplyFrom(square.Pop(), SquareMultiplier);
            }
            else
            {
                AddText(token, splitOnBreak: true);
            }
        }

        foreach (var start in round)
        {
            MultiplyFrom(start, RoundMultiplier);
        }

        foreach (var start in square)
        {
            MultiplyFrom(start, SquareMultiplier);
        }

        var result = new List<PromptFragment>();
        var lastWeight = double.NaN;
        for (var i = 0; i < texts.Count; i++)
        {
            if (breaks[i])
            {
                result.Add(PromptFragment.ChunkBreak);
                lastWeight = double.NaN;
            }
            else if (result.Count > 0 && !result[^1].IsChunkBreak && lastWeight == weights[i])
            {
                result[^1] = result[^1] with { Text = result[^1].Text + texts[i] };
            }
            else
            {
                result.Add(new PromptFragment(texts[i], (float)weights[i]));
                lastWeight = weights[i];
            }
        }

        return result.Count == 0 ? [new PromptFragment("", 1f)] : result;
    }

    /// <summary>Reads a weight as Python's <c>float</c> does for the digits the pattern admits: any Unicode decimal digit counts.</summary>
    internal static bool TryParseWeight(string text, out double weight)
    {
        var ascii = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            ascii.Append(char.IsDigit(c) ? (char)('0' + (int)char.GetNumericValue(c)) : c);
        }

        return double.TryParse(ascii.ToString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out weight);
    }

    // The web UI's re_attention, alternative for alternative (.NET's \d, like Python's, matches every Unicode decimal digit).
    [GeneratedRegex(@"\\\(|\\\)|\\\[|\\\]|\\\\|\\|\(|\[|:\s*([+-]?[.\d]+)\s*\)|\)|\]|[^\\()\[\]:]+|:", RegexOptions.CultureInvariant)]
    private static partial Regex AttentionToken();

    // The web UI's re_break: the keyword with the white space around it.
    [GeneratedRegex(@"\s*\bBREAK\b\s*", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex BreakKeyword();
}
