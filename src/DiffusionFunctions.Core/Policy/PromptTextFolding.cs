using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace DiffusionFunctions.Core.Policy;

/// <summary>
/// Character-level folding tables for <see cref="PromptTextNormalizer"/>: what one (already NFKD-decomposed) character
/// becomes before tokens are formed. Letters become lower-case; look-alike letters from Cyrillic, Greek, small capitals
/// and enclosed/regional-indicator letters become their Latin twin; marks, format and invisible characters vanish;
/// everything that is not a letter or digit (punctuation, symbols, emoji, spaces) separates words.
/// </summary>
internal static class PromptTextFolding
{
    /// <summary>The one separator character left between tokens by the first stage.</summary>
    public const char Separator = ' ';

    /// <summary>What a character is, for tokenising.</summary>
    public enum CharClass : byte
    {
        /// <summary>Dropped entirely (combining marks, format characters, invisible fillers, controls).</summary>
        Ignore,

        /// <summary>Separates words (spaces, punctuation, symbols, emoji).</summary>
        Separator,

        /// <summary>A Latin letter a-z, an ASCII digit, or a leetspeak symbol (<c>@ $ !</c>).</summary>
        Latin,

        /// <summary>A letter of another script (kept, lower-cased).</summary>
        Other,

        /// <summary>Han, kana or Thai: written without spaces, so every character boundary (and a run's edge) is a word boundary.</summary>
        Unspaced,
    }

    /// <summary>ASCII folding: '\0' = ignore, ' ' = separator, otherwise the folded character.</summary>
    private static readonly char[] Ascii = BuildAscii();

    /// <summary>
    /// Look-alike letters that Unicode normalisation leaves alone, mapped to the Latin letter they imitate. Keyed by the
    /// original code point (upper- and lower-case forms listed separately, because e.g. Greek capital eta looks like H
    /// while its small form looks like n).
    /// </summary>
    private static readonly FrozenDictionary<int, string> LookAlikes = BuildLookAlikes();

    /// <summary>
    /// Look-alikes that imitate two Latin letters: the table above holds the first reading, this one the second
    /// (Greek small nu looks like v and stands for n). The second reading is read in a separate pass, and only inside
    /// words that also hold letters of another script, so ordinary Greek text is read one way only.
    /// </summary>
    private static readonly FrozenDictionary<int, char> SecondReadings = new Dictionary<int, char>
    {
        ['ν'] = 'n', // GREEK SMALL LETTER NU: looks like v, is the Greek n
        ['υ'] = 'v', // GREEK SMALL LETTER UPSILON: looks like u, or like v in many fonts
    }.ToFrozenDictionary();

    /// <summary>
    /// Every code point the look-alike tables and the enclosed-letter ranges fold to Latin, with all of its readings
    /// (the ambiguous i-or-l symbol <c>1</c> counts as the two readings <c>i</c> and <c>l</c>). For the audit test.
    /// </summary>
    internal static IReadOnlyDictionary<int, string[]> LookAlikeReadings()
    {
        var readings = new SortedDictionary<int, string[]>();
        foreach (var (codePoint, latin) in LookAlikes)
        {
            var list = latin == "1" ? new List<string> { "i", "l" } : [latin];
            if (SecondReadings.TryGetValue(codePoint, out var second))
            {
                list.Add(second.ToString());
            }

            readings[codePoint] = [.. list];
        }

        foreach (var first in (int[])[0x1F1E6, 0x1F150, 0x1F170])
        {
            for (var i = 0; i < 26; i++)
            {
                readings[first + i] = [((char)('a' + i)).ToString()];
            }
        }

        return readings;
    }

    /// <summary>True when <paramref name="codePoint"/> has a second reading (see <see cref="SecondReadings"/>).</summary>
    public static bool HasSecondReading(int codePoint) => codePoint < 0x10000 && SecondReadings.ContainsKey(codePoint);

    /// <summary>The second reading of a look-alike that has one.</summary>
    public static char SecondReading(int codePoint) => SecondReadings[codePoint];

    /// <summary>Folds an ASCII character; returns its class and writes the folded character.</summary>
    public static CharClass FoldAscii(char c, out char folded)
    {
        folded = Ascii[c];
        return folded switch
        {
            '\0' => CharClass.Ignore,
            Separator => CharClass.Separator,
            _ => CharClass.Latin,
        };
    }

    /// <summary>
    /// Folds one non-ASCII code point (from NFKD-decomposed text) into <paramref name="destination"/> (room for 2 chars).
    /// </summary>
    /// <returns>The class; <paramref name="written"/> is the number of characters written (0 for Ignore/Separator).</returns>
    public static CharClass FoldRune(Rune rune, Span<char> destination, out int written)
    {
        written = 0;
        var value = rune.Value;
        if (LookAlikes.TryGetValue(value, out var latin))
        {
            latin.AsSpan().CopyTo(destination);
            written = latin.Length;
            return CharClass.Latin;
        }

        if (IsInvisibleFiller(value))
        {
            return CharClass.Ignore;
        }

        // Regional indicators (flag letters), negative circled and negative squared capitals: A-Z look-alikes.
        if (value is >= 0x1F1E6 and <= 0x1F1FF)
        {
            return Letter((char)('a' + (value - 0x1F1E6)), destination, out written);
        }

        if (value is >= 0x1F150 and <= 0x1F169)
        {
            return Letter((char)('a' + (value - 0x1F150)), destination, out written);
        }

        if (value is >= 0x1F170 and <= 0x1F189)
        {
            return Letter((char)('a' + (value - 0x1F170)), destination, out written);
        }

        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.EnclosingMark:
            case UnicodeCategory.Format:
            case UnicodeCategory.Surrogate:
                return CharClass.Ignore;
            case UnicodeCategory.Control:
                return Rune.IsWhiteSpace(rune) ? CharClass.Separator : CharClass.Ignore;
            case UnicodeCategory.DecimalDigitNumber:
                var digit = (int)Rune.GetNumericValue(rune);
                return digit is >= 0 and <= 9
                    ? Letter((char)('0' + digit), destination, out written)
                    : CharClass.Separator;
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
                return FoldLetter(rune, destination, out written);
            default:
                return CharClass.Separator;
        }
    }

    /// <summary>True for Han ideographs, Hiragana, Katakana and Thai: scripts written without spaces between words.</summary>
    public static bool IsUnspaced(char c) =>
        c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF')
            or (>= '\u3040' and <= '\u30FF') or (>= '\u0E00' and <= '\u0E7F');

    private static CharClass FoldLetter(Rune rune, Span<char> destination, out int written)
    {
        // Capitals listed in the table were mapped above as they look (Greek Η is H); any other capital folds like its
        // small form (Cyrillic Ь like ь, Г like г), so that a term and a prompt that differ only in case read the same.
        var lower = Rune.ToLowerInvariant(rune);
        if (LookAlikes.TryGetValue(lower.Value, out var latin))
        {
            latin.AsSpan().CopyTo(destination);
            written = latin.Length;
            return CharClass.Latin;
        }

        if (lower.IsAscii)
        {
            var cls = FoldAscii((char)lower.Value, out var folded);
            destination[0] = folded;
            written = cls == CharClass.Latin ? 1 : 0;
            return cls;
        }

        written = lower.EncodeToUtf16(destination);
        return written == 1 && IsUnspaced(destination[0]) ? CharClass.Unspaced : CharClass.Other;
    }

    private static CharClass Letter(char c, Span<char> destination, out int written)
    {
        destination[0] = c;
        written = 1;
        return CharClass.Latin;
    }

    private static bool IsInvisibleFiller(int value) =>
        value is 0x115F or 0x1160 or 0x3164 or 0xFFA0 // Hangul fillers (letters that draw nothing)
            or 0x2800 // Braille pattern blank
            or 0x034F // combining grapheme joiner
            or (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF) // variation selectors
            or (>= 0xE0000 and <= 0xE007F) // tag characters
            or 0x00AD or 0x180E or 0x200B or 0x200C or 0x200D or 0x2060 or 0xFEFF; // soft hyphen, joiners, BOM

    private static char[] BuildAscii()
    {
        var table = new char[128];
        for (var c = 0; c < 128; c++)
        {
            table[c] = c switch
            {
                >= 'a' and <= 'z' => (char)c,
                >= 'A' and <= 'Z' => (char)(c + ('a' - 'A')),
                >= '0' and <= '9' => (char)c,
                '@' or '$' or '!' => (char)c,
                '\t' or '\n' or '\v' or '\f' or '\r' or ' ' => Separator,
                < 0x20 or 0x7F => '\0', // other control characters are invisible: drop them
                _ => Separator, // punctuation and symbols (including '|', '+', '-', '.', '_', '*')
            };
        }

        return table;
    }

    private static FrozenDictionary<int, string> BuildLookAlikes()
    {
        var map = new Dictionary<int, string>();

        void Add(string from, string to)
        {
            if (from.EnumerateRunes().Count() != to.Length)
            {
                throw new InvalidOperationException($"Look-alike table rows differ in length: '{from}' -> '{to}'.");
            }

            var i = 0;
            foreach (var rune in from.EnumerateRunes())
            {
                map[rune.Value] = to[i].ToString();
                i++;
            }
        }

        // Cyrillic capitals and small letters that look like Latin ones. "1" is the ambiguous i-or-l symbol (as the
        // leet digit): a bare vertical stroke (Cyrillic І, palochka Ӏ ӏ, Greek Ι) reads as I and as l.
        Add("АВЕКМНОРСТХУІЈЅԌԚԜӀ", "abekmhopctxy1jsgqw1");
        Add("аеорсухіјѕԁһԛԝӏьвкмнтпгѵѡԍ", "aeopcyxijsdhqw1bbkmhtnrvwg");

        // Greek (accents are gone after NFKD).
        Add("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "abezh1kmnoptyx");
        Add("αβεηικνορτυχγωϲϳ", "abenikvoptuxywcj");

        // Armenian and Cherokee letters that pass for Latin ones.
        Add("օսոցհզ", "ounghq");
        Add("ᎪᏴᏟᎬᏀᎻᎫᏦᏞᎷᏢᏚᎢᏙᎳᏃ", "abceghjklmpstvwz");

        // Currency signs used as letters.
        Add("€¢¥", "ecy");

        // Latin letters without a decomposition, IPA and small capitals.
        // Each small capital reads as the letter its Unicode name gives (LATIN LETTER SMALL CAPITAL H -> h); the
        // look-alike audit test checks every row against Unicode's names and confusables.
        Add("ıȷɑɡɩɪʟʀʏɢʜɴᴀʙᴄᴅᴇꜰᴊᴋᴍᴏᴘꞯꜱᴛᴜᴠᴡᴢøđħłŧðŀɫƚ", "ijagiilryghnabcdefjkmopqstuvwzodhltdlll");
        map['ß'] = "ss";
        map['ẞ'] = "ss";
        map['æ'] = "ae";
        map['Æ'] = "ae";
        map['œ'] = "oe";
        map['Œ'] = "oe";
        map['þ'] = "th";
        map['Þ'] = "th";
        map['Ø'] = "o";
        map['Đ'] = "d";
        map['Ł'] = "l";
        return map.ToFrozenDictionary();
    }
}
