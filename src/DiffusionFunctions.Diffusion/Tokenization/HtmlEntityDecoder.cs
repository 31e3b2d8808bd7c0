using System.Text;

namespace DiffusionFunctions.Diffusion.Tokenization;

/// <summary>
/// Decodes HTML character references the way Python's <c>html.unescape</c> does (the HTML5 rules that openai/CLIP's
/// <c>basic_clean</c> relies on): <c>&amp;#NN;</c> and <c>&amp;#xHH;</c> with or without the semicolon, the HTML5
/// replacements for invalid code points, named references with the longest-known-prefix rule, and anything
/// unrecognised left as it was.
/// </summary>
/// <remarks>
/// Limit: only the names in <see cref="HtmlEntityTable"/> are known (all legacy names, all HTML 4 names, Latin-1 and
/// ASCII aliases and <c>&amp;apos;</c>); a rarer HTML5-only name such as <c>&amp;NotEqualTilde;</c> stays as text.
/// </remarks>
internal static class HtmlEntityDecoder
{
    private const int MaxNameLength = 32;

    private static readonly Dictionary<string, string> Entities = HtmlEntityTable.Create();
    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> EntityLookup =
        Entities.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Decodes every character reference in <paramref name="text"/>; returns the same instance when it has none.</summary>
    public static string Unescape(string text)
    {
        var amp = text.IndexOf('&', StringComparison.Ordinal);
        if (amp < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        sb.Append(text, 0, amp);
        var i = amp;
        while (i < text.Length)
        {
            if (text[i] != '&')
            {
                var next = text.IndexOf('&', i);
                var end = next < 0 ? text.Length : next;
                sb.Append(text, i, end - i);
                i = end;
                continue;
            }

            var consumed = TryDecodeReference(text, i + 1, sb);
            if (consumed == 0)
            {
                sb.Append('&');
                i++;
            }
            else
            {
                i += 1 + consumed;
            }
        }

        return sb.ToString();
    }

    /// <summary>Decodes the reference starting after an ampersand; returns the characters consumed, 0 for no reference.</summary>
    private static int TryDecodeReference(string text, int start, StringBuilder sb)
    {
        if (start >= text.Length)
        {
            return 0;
        }

        return text[start] == '#' ? TryDecodeNumeric(text, start, sb) : TryDecodeNamed(text, start, sb);
    }

    private static int TryDecodeNumeric(string text, int start, StringBuilder sb)
    {
        var i = start + 1;
        var hex = false;
        if (i < text.Length && (text[i] == 'x' || text[i] == 'X') && i + 1 < text.Length && char.IsAsciiHexDigit(text[i + 1]))
        {
            hex = true;
            i++;
        }
        else if (i >= text.Length || !char.IsAsciiDigit(text[i]))
        {
            return 0;
        }

        var digitsStart = i;
        while (i < text.Length && (hex ? char.IsAsciiHexDigit(text[i]) : char.IsAsciiDigit(text[i])))
        {
            i++;
        }

        var value = ParseSaturated(text.AsSpan(digitsStart, i - digitsStart), hex);
        if (i < text.Length && text[i] == ';')
        {
            i++;
        }

        AppendCodePoint(value, sb);
        return i - start;
    }

    /// <summary>Parses digits, saturating at a value above U+10FFFF (Python's big integers only ever compare above it).</summary>
    private static long ParseSaturated(ReadOnlySpan<char> digits, bool hex)
    {
        const long Saturated = 0x7FFF_FFFF;
        long value = 0;
        foreach (var c in digits)
        {
            var digit = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
            value = (value * (hex ? 16 : 10)) + digit;
            if (value > Saturated)
            {
                return Saturated;
            }
        }

        return value;
    }

    private static void AppendCodePoint(long value, StringBuilder sb)
    {
        if (TryGetWindows1252Replacement(value, out var replacement))
        {
            sb.Append(replacement);
        }
        else if (value is >= 0xD800 and <= 0xDFFF or > 0x10FFFF)
        {
            sb.Append('\uFFFD');
        }
        else if (!IsDroppedCodePoint(value))
        {
            sb.Append(new Rune((int)value).ToString());
        }
    }

    /// <summary>HTML5's table for references to NUL, CR and the C1 range (mostly their Windows-1252 meaning).</summary>
    private static bool TryGetWindows1252Replacement(long value, out char replacement)
    {
        replacement = value switch
        {
            0x00 => '\uFFFD',
            0x0D => '\r',
            0x80 => '\u20AC',
            0x81 => '\u0081',
            0x82 => '\u201A',
            0x83 => '\u0192',
            0x84 => '\u201E',
            0x85 => '\u2026',
            0x86 => '\u2020',
            0x87 => '\u2021',
            0x88 => '\u02C6',
            0x89 => '\u2030',
            0x8A => '\u0160',
            0x8B => '\u2039',
            0x8C => '\u0152',
            0x8D => '\u008D',
            0x8E => '\u017D',
            0x8F => '\u008F',
            0x90 => '\u0090',
            0x91 => '\u2018',
            0x92 => '\u2019',
            0x93 => '\u201C',
            0x94 => '\u201D',
            0x95 => '\u2022',
            0x96 => '\u2013',
            0x97 => '\u2014',
            0x98 => '\u02DC',
            0x99 => '\u2122',
            0x9A => '\u0161',
            0x9B => '\u203A',
            0x9C => '\u0153',
            0x9D => '\u009D',
            0x9E => '\u017E',
            0x9F => '\u0178',
            _ => '\0',
        };
        return replacement != '\0';
    }

    /// <summary>Code points HTML5 says a reference may not produce; Python drops them.</summary>
    private static bool IsDroppedCodePoint(long value) =>
        value is >= 0x01 and <= 0x08 or 0x0B or >= 0x0E and <= 0x1F or >= 0x7F and <= 0x9F or >= 0xFDD0 and <= 0xFDEF
        || (value & 0xFFFE) == 0xFFFE;

    private static int TryDecodeNamed(string text, int start, StringBuilder sb)
    {
        // Python: [^\t\n\f <&#;]{1,32};?  (32 code points).
        var i = start;
        var codePoints = 0;
        while (i < text.Length && codePoints < MaxNameLength && !IsNameTerminator(text[i]))
        {
            i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            codePoints++;
        }

        if (codePoints == 0)
        {
            return 0;
        }

        if (i < text.Length && text[i] == ';')
        {
            i++;
        }

        var name = text.AsSpan(start, i - start);
        if (EntityLookup.TryGetValue(name, out var decoded))
        {
            sb.Append(decoded);
            return name.Length;
        }

        // The longest known prefix of at least two characters wins; the rest stays as text.
        for (var length = name.Length - 1; length >= 2; length--)
        {
            if (EntityLookup.TryGetValue(name[..length], out decoded))
            {
                sb.Append(decoded).Append(name[length..]);
                return name.Length;
            }
        }

        sb.Append('&').Append(name);
        return name.Length;
    }

    private static bool IsNameTerminator(char c) => c is '\t' or '\n' or '\f' or ' ' or '<' or '&' or '#' or ';';
}
