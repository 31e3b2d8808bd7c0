using System.Globalization;
using System.Text;

namespace DiffusionFunctions.Diffusion.Tokenization;

/// <summary>
/// The text clean-up of openai/CLIP <c>simple_tokenizer.py</c> before pre-tokenisation:
/// <c>whitespace_clean(basic_clean(text)).lower()</c>, that is HTML unescaping (twice), strip, whitespace runs collapsed to
/// one space, strip, and Python's <c>str.lower()</c>. ftfy's repairs (mojibake, quote uncurling, width folding, NFC)
/// are deliberately not applied.
/// </summary>
internal static class ClipTextNormalizer
{
    /// <summary>Cleans and lower-cases <paramref name="text"/> as the reference does.</summary>
    public static string Normalize(string text, bool unescapeHtml)
    {
        if (unescapeHtml)
        {
            text = HtmlEntityDecoder.Unescape(HtmlEntityDecoder.Unescape(text));
        }

        return ToLowerLikePython(CollapseWhitespace(text));
    }

    /// <summary>
    /// <c>strip()</c>, <c>re.sub(r'\s+', ' ')</c>, <c>strip()</c>: runs of Unicode White_Space (the pattern's <c>\s</c>) become
    /// one space and the ends are trimmed with Python's wider <c>str.isspace</c> (which also counts U+001C..U+001F).
    /// </summary>
    internal static string CollapseWhitespace(string text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && IsPythonSpace(text[start]))
        {
            start++;
        }

        while (end > start && IsPythonSpace(text[end - 1]))
        {
            end--;
        }

        var span = text.AsSpan(start, end - start);
        if (!NeedsCollapse(span))
        {
            return span.Length == text.Length ? text : span.ToString();
        }

        var sb = new StringBuilder(span.Length);
        var inRun = false;
        foreach (var c in span)
        {
            if (IsWhiteSpace(c))
            {
                if (!inRun)
                {
                    sb.Append(' ');
                    inRun = true;
                }
            }
            else
            {
                sb.Append(c);
                inRun = false;
            }
        }

        // The ends were stripped with the wider isspace set, so the reference's second strip() has nothing left to do.
        return sb.ToString();
    }

    private static bool NeedsCollapse(ReadOnlySpan<char> span)
    {
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            if (IsWhiteSpace(c) && (c != ' ' || (i + 1 < span.Length && IsWhiteSpace(span[i + 1]))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The Unicode White_Space property (what the <c>regex</c> module's <c>\s</c> matches in Unicode strings).</summary>
    internal static bool IsWhiteSpace(char c) =>
        c switch
        {
            ' ' => true,
            < '\u0009' => false,
            <= '\u000D' => true,
            < '\u0085' => false,
            '\u0085' or '\u00A0' or '\u1680' or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000' => true,
            >= '\u2000' and <= '\u200A' => true,
            _ => false,
        };

    /// <summary>Python's <c>str.isspace()</c>: White_Space plus the four information separators U+001C..U+001F.</summary>
    internal static bool IsPythonSpace(char c) => IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';

    /// <summary>
    /// Python's <c>str.lower()</c>: full case mapping per code point, which differs from .NET's simple mapping for
    /// U+0130 (becomes "i" + U+0307) and the Greek capital sigma, which becomes final ς at the end of a word.
    /// </summary>
    internal static string ToLowerLikePython(string text)
    {
        var i = 0;
        while (i < text.Length && text[i] < 0x80 && !char.IsAsciiLetterUpper(text[i]))
        {
            i++;
        }

        if (i == text.Length)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        sb.Append(text, 0, i);
        Span<char> buffer = stackalloc char[2];
        while (i < text.Length)
        {
            var c = text[i];
            if (c < 0x80)
            {
                sb.Append(char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c);
                i++;
                continue;
            }

            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used) != System.Buffers.OperationStatus.Done)
            {
                sb.Append(c); // a lone surrogate has no case
                i++;
                continue;
            }

            if (rune.Value == 0x0130)
            {
                sb.Append("i\u0307");
            }
            else if (rune.Value == 0x03A3)
            {
                sb.Append(IsFinalSigma(text, i) ? 'ς' : 'σ');
            }
            else
            {
                var lower = Rune.ToLowerInvariant(rune);
                sb.Append(buffer[..lower.EncodeToUtf16(buffer)]);
            }

            i += used;
        }

        return sb.ToString();
    }

    /// <summary>
    /// Unicode's Final_Sigma condition as CPython applies it: a cased letter before (skipping case-ignorable characters)
    /// and no cased letter after. Cased and case-ignorable are derived from general categories, case mappings and the
    /// Word_Break MidLetter/MidNumLet/Single_Quote list (checked against CPython 3.11 over every code point: they differ
    /// only for characters assigned after Unicode 14).
    /// </summary>
    private static bool IsFinalSigma(string text, int index)
    {
        var j = index;
        var foundCased = false;
        while (j > 0)
        {
            var rune = RuneBefore(text, j, out var size);
            j -= size;
            if (!IsCaseIgnorable(rune))
            {
                foundCased = IsCased(rune);
                break;
            }
        }

        if (!foundCased)
        {
            return false;
        }

        j = index + 1;
        while (j < text.Length)
        {
            var rune = RuneAt(text, j, out var size);
            j += size;
            if (!IsCaseIgnorable(rune))
            {
                return !IsCased(rune);
            }
        }

        return true;
    }

    private static Rune RuneAt(string text, int index, out int size)
    {
        if (Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out size) != System.Buffers.OperationStatus.Done)
        {
            size = 1;
            return Rune.ReplacementChar;
        }

        return rune;
    }

    private static Rune RuneBefore(string text, int end, out int size)
    {
        if (Rune.DecodeLastFromUtf16(text.AsSpan(0, end), out var rune, out size) != System.Buffers.OperationStatus.Done)
        {
            size = 1;
            return Rune.ReplacementChar;
        }

        return rune;
    }

    /// <summary>
    /// Unicode's Cased: Lu, Ll, Lt, plus Other_Uppercase/Other_Lowercase, which outside the (case-ignorable, hence already
    /// skipped) modifier letters are the characters with a case mapping (Roman numerals, circled letters), ª, º and the
    /// squared / negative circled / negative squared Latin capitals.
    /// </summary>
    private static bool IsCased(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter
        || Rune.ToUpperInvariant(rune) != rune || Rune.ToLowerInvariant(rune) != rune
        || rune.Value is 0x00AA or 0x00BA or >= 0x1F130 and <= 0x1F149 or >= 0x1F150 and <= 0x1F169 or >= 0x1F170 and <= 0x1F189;

    private static bool IsCaseIgnorable(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol
        || rune.Value is '\'' or '.' or ':' or 0x00B7 or 0x0387 or 0x055F or 0x05F4 or 0x2018 or 0x2019 or 0x2024 or 0x2027
            or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A;
}
