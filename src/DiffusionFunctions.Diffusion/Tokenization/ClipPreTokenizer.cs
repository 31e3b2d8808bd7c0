using System.Globalization;
using System.Text;

namespace DiffusionFunctions.Diffusion.Tokenization;

/// <summary>What a pre-token is.</summary>
internal enum ClipPreTokenKind
{
    /// <summary>A word, contraction, digit or symbol run, to be byte-encoded and merged.</summary>
    Text,

    /// <summary>A literal <c>&lt;|startoftext|&gt;</c> in the text.</summary>
    StartOfText,

    /// <summary>A literal <c>&lt;|endoftext|&gt;</c> in the text.</summary>
    EndOfText,
}

/// <summary>
/// Splits cleaned text like openai/CLIP's pattern, with <c>re.IGNORECASE</c>:
/// <c>&lt;\|startoftext\|&gt;|&lt;\|endoftext\|&gt;|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+</c>.
/// Written by hand over code points (not <see cref="System.Text.RegularExpressions.Regex"/>) so letters and digits outside
/// the BMP are classified as the reference classifies them, and to avoid allocating per match.
/// </summary>
internal static class ClipPreTokenizer
{
    internal const string StartOfText = "<|startoftext|>";
    internal const string EndOfText = "<|endoftext|>";

    /// <summary>Finds the next pre-token at or after <paramref name="position"/> and moves past it.</summary>
    /// <returns><see langword="false"/> when only whitespace (or nothing) is left.</returns>
    public static bool TryReadNext(ReadOnlySpan<char> text, ref int position, out int start, out int length, out ClipPreTokenKind kind)
    {
        var i = position;
        while (i < text.Length)
        {
            var c = text[i];
            kind = ClipPreTokenKind.Text;
            start = i;
            if (c == '<' && TryMatchSpecial(text[i..], out var specialLength, out kind))
            {
                length = specialLength;
            }
            else if (c == '\'' && MatchContraction(text[(i + 1)..]) is var contraction and > 0)
            {
                length = 1 + contraction;
            }
            else
            {
                var cls = Classify(text, i, out var size);
                switch (cls)
                {
                    case CharClass.Space:
                        i += size;
                        continue;
                    case CharClass.Letter:
                        length = RunLength(text, i, CharClass.Letter);
                        break;
                    case CharClass.Number:
                        length = size;
                        break;
                    default:
                        length = RunLength(text, i, CharClass.Symbol);
                        break;
                }
            }

            position = i + length;
            return true;
        }

        position = text.Length;
        start = text.Length;
        length = 0;
        kind = ClipPreTokenKind.Text;
        return false;
    }

    private static bool TryMatchSpecial(ReadOnlySpan<char> rest, out int length, out ClipPreTokenKind kind)
    {
        if (StartsWithIgnoreCase(rest, StartOfText))
        {
            (length, kind) = (StartOfText.Length, ClipPreTokenKind.StartOfText);
            return true;
        }

        if (StartsWithIgnoreCase(rest, EndOfText))
        {
            (length, kind) = (EndOfText.Length, ClipPreTokenKind.EndOfText);
            return true;
        }

        (length, kind) = (0, ClipPreTokenKind.Text);
        return false;
    }

    /// <summary>The contraction after an apostrophe (<c>s t re ve m ll d</c>): its length, or 0.</summary>
    private static int MatchContraction(ReadOnlySpan<char> rest)
    {
        if (rest.IsEmpty)
        {
            return 0;
        }

        var a = Fold(rest[0]);
        if (a is 's' or 't' or 'm' or 'd')
        {
            return 1;
        }

        if (rest.Length < 2)
        {
            return 0;
        }

        var b = Fold(rest[1]);
        return (a, b) is ('r', 'e') or ('v', 'e') or ('l', 'l') ? 2 : 0;
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<char> text, string literal)
    {
        if (text.Length < literal.Length)
        {
            return false;
        }

        for (var k = 0; k < literal.Length; k++)
        {
            if (Fold(text[k]) != literal[k])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Simple case folding for the letters of the pattern's literals (U+017F long s and U+212A Kelvin sign fold into ASCII).</summary>
    private static char Fold(char c) => c switch
    {
        >= 'A' and <= 'Z' => (char)(c | 0x20),
        '\u017F' => 's',
        '\u212A' => 'k',
        _ => c,
    };

    private static int RunLength(ReadOnlySpan<char> text, int start, CharClass runClass)
    {
        var i = start;
        while (i < text.Length)
        {
            var cls = Classify(text, i, out var size);
            if (cls != runClass)
            {
                break;
            }

            i += size;
        }

        return i - start;
    }

    private enum CharClass
    {
        Letter,
        Number,
        Space,
        Symbol,
    }

    private static CharClass Classify(ReadOnlySpan<char> text, int index, out int size)
    {
        var c = text[index];
        size = 1;
        if (c < 0x80)
        {
            return char.IsAsciiLetter(c) ? CharClass.Letter
                : char.IsAsciiDigit(c) ? CharClass.Number
                : ClipTextNormalizer.IsWhiteSpace(c) ? CharClass.Space
                : CharClass.Symbol;
        }

        if (ClipTextNormalizer.IsWhiteSpace(c))
        {
            return CharClass.Space;
        }

        if (Rune.DecodeFromUtf16(text[index..], out var rune, out var used) != System.Buffers.OperationStatus.Done)
        {
            return CharClass.Symbol; // a lone surrogate is neither letter nor number
        }

        size = used;
        if (rune.Value == 0x0345)
        {
            // COMBINING GREEK YPOGEGRAMMENI is a mark, but under IGNORECASE it matches \p{L} through its case
            // variants Ι/ι; it is the only character where the case-insensitive classes differ from the categories.
            return CharClass.Letter;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharClass.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharClass.Number,
            _ => CharClass.Symbol,
        };
    }
}
