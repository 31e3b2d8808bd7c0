using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace DiffusionFunctions.Core.Policy;

/// <summary>
/// Turns text (a prompt, or a policy term: both go through exactly the same steps) into the symbol stream that the
/// term automaton reads. The algorithm is described step by step in <c>Policy/README.md</c>; in short:
/// <list type="number">
/// <item>Unicode NFKD (compatibility forms such as fullwidth or mathematical letters become plain ones, and accents
/// become separate marks), skipped for pure-ASCII text.</item>
/// <item>Per character (<see cref="PromptTextFolding"/>): drop marks, format/invisible characters and controls; fold
/// case and look-alike letters to Latin; everything that is not a letter, digit or <c>@ $ !</c> separates words, and so
/// does the edge of a run of Han, kana or Thai. In the "tight" reading (a second pass, only for text that needs it),
/// punctuation with no whitespace around it joins instead ("go.re").</item>
/// <item>Per word: trim <c>!</c> at either end; a word that is all digits stays a number, otherwise leetspeak applies
/// (<c>0→o 1→i|l 3→e 4→a 5→s 6→g 7→t 8→b 9→g @→a $→s !→i|l</c>). A run of three or more one-character words with
/// the same separator between each ("g o r e", "g.0.r.e") is joined into one word; a leading or trailing "a" or "i" in the run may also stand alone
/// ("a g o r e", "g o r e a lot").</item>
/// <item>Per symbol: runs of the same letter collapse to one symbol flagged <see cref="Doubled"/>; <c>i</c>, <c>l</c> and
/// the ambiguous leet <c>1</c>/<c>!</c> share the symbol <c>i</c> and keep which they were in <see cref="LetterI"/> /
/// <see cref="LetterL"/>, so a match is verified afterwards against the term's actual letters.</item>
/// </list>
/// Words are separated in the stream by a single <see cref="WordSeparator"/>.
/// </summary>
internal static class PromptTextNormalizer
{
    /// <summary>Flag: the symbol stood for a run of two or more identical letters ("ss" in "ass", "ooo" in "gooore").</summary>
    public const byte Doubled = 1;

    /// <summary>Flag: a word boundary lies just before this symbol although no separator does (Han/kana/Thai, beside a leading or trailing "a"/"i" of joined letters).</summary>
    public const byte SoftBoundary = 2;

    /// <summary>Flag on symbol <c>i</c>: it may be the letter i (set for "i" and for the ambiguous "1" / "!").</summary>
    public const byte LetterI = 4;

    /// <summary>Flag on symbol <c>i</c>: it may be the letter l (set for "l" and for the ambiguous "1" / "!").</summary>
    public const byte LetterL = 8;

    /// <summary>
    /// Not a stream flag but a term need: the text's symbol must NOT be doubled. Used for the letters a plural adds, so
    /// that "assess" is not read as a stretched "asses".
    /// </summary>
    public const byte MustBeSingle = 16;

    /// <summary>Separates words in the symbol stream.</summary>
    public const char WordSeparator = ' ';

    /// <summary>
    /// Between words, the first stage writes one character from this private-use block: its low bits are a hash of the
    /// separator run it replaced (whitespace counted as a space, repeats collapsed), so the second stage can tell
    /// "g o r e" (the same separator each time) from "f/1.8, g" (three different ones).
    /// </summary>
    private const char ScratchSeparatorBase = '\uE000';

    private const int ScratchSeparatorMask = 0x7FF;

    /// <summary>The scratch separator written at the edge of a Han/kana/Thai run.</summary>
    private const char UnspacedEdgeSeparator = (char)(ScratchSeparatorBase + ScratchSeparatorMask);

    /// <summary>Shortest run of one-character words that is joined into a single word ("g o r e").</summary>
    public const int MinimumJoinedRun = 3;

    private const byte LetterMask = LetterI | LetterL;

    /// <summary>Leetspeak for digits '0'..'9': '\0' keeps the digit, '?' marks the ambiguous i-or-l.</summary>
    private const string LeetDigits = "o?\0easgtbg";

    /// <summary>Symbol (low byte) and i/l flags (high byte) of each ASCII character in a word where leetspeak applies.</summary>
    private static readonly ushort[] LeetTable = BuildSymbolTable(leet: true);

    /// <summary>The same for a word that is a number: digits stay digits.</summary>
    private static readonly ushort[] PlainTable = BuildSymbolTable(leet: false);

    /// <summary>Most characters the first stage can produce from <paramref name="length"/> decomposed input characters.</summary>
    public static int MaxLength(int length, bool isAscii) => isAscii ? length : (length * 3) + 2;

    /// <summary>
    /// Decomposes <paramref name="text"/> to NFKD into a pooled buffer (return it with <see cref="ArrayPool{T}.Return"/>).
    /// Text that Unicode normalisation rejects (unpaired surrogates, U+FFFE/U+FFFF) has those code units replaced by
    /// U+FFFD first; should it still be rejected, the text is used as it is.
    /// </summary>
    public static ReadOnlySpan<char> Decompose(string text, out char[] rented)
    {
        if (TryDecompose(text, out rented, out var written))
        {
            return rented.AsSpan(0, written);
        }

        var clean = ReplaceInvalidCodeUnits(text);
        if (TryDecompose(clean, out rented, out written))
        {
            return rented.AsSpan(0, written);
        }

        rented = ArrayPool<char>.Shared.Rent(Math.Max(clean.Length, 1));
        clean.CopyTo(rented);
        return rented.AsSpan(0, clean.Length);
    }

    /// <summary>
    /// Normalises decomposed text into <paramref name="symbols"/> and <paramref name="flags"/> (each at least
    /// <see cref="MaxLength"/> long); <paramref name="scratch"/> holds the intermediate words (same size).
    /// </summary>
    /// <returns>The number of symbols written.</returns>
    public static int Normalize(ReadOnlySpan<char> decomposed, bool isAscii, Span<char> scratch, Span<char> symbols, Span<byte> flags) =>
        Normalize(decomposed, isAscii, scratch, symbols, flags, joinTight: false, out _);

    /// <summary>
    /// As <see cref="Normalize(ReadOnlySpan{char}, bool, Span{char}, Span{char}, Span{byte})"/>, with the choice of the
    /// "tight" reading: punctuation standing between two word characters with no whitespace around it ("go.re",
    /// "nu-de") is dropped instead of separating words, and only the whitespace-delimited words where that happened are
    /// kept. <paramref name="sawTight"/> says whether the text has any such punctuation, i.e. whether a tight reading
    /// is needed at all.
    /// </summary>
    public static int Normalize(ReadOnlySpan<char> decomposed, bool isAscii, Span<char> scratch, Span<char> symbols, Span<byte> flags, bool joinTight, out bool sawTight)
    {
        var count = Normalize(decomposed, isAscii, scratch, symbols, flags, joinTight ? PromptReading.Tight : PromptReading.Plain, out var needed);
        sawTight = (needed & PromptReading.Tight) != 0;
        return count;
    }

    /// <summary>
    /// Normalises in the given <paramref name="reading"/>; <paramref name="needed"/> says which further readings the
    /// text needs (punctuation inside words: <see cref="PromptReading.Tight"/>; a look-alike with a second reading:
    /// <see cref="PromptReading.SecondLookAlike"/>).
    /// </summary>
    public static int Normalize(ReadOnlySpan<char> decomposed, bool isAscii, Span<char> scratch, Span<char> symbols, Span<byte> flags, PromptReading reading, out PromptReading needed)
    {
        var joinTight = (reading & PromptReading.Tight) != 0;
        bool sawTight;
        var sawSecond = false;
        var length = isAscii
            ? FoldAscii(decomposed, scratch, joinTight, out sawTight)
            : FoldUnicode(decomposed, scratch, joinTight, (reading & PromptReading.SecondLookAlike) != 0, out sawTight, out sawSecond);
        needed = (sawTight ? PromptReading.Tight : PromptReading.Plain) | (sawSecond ? PromptReading.SecondLookAlike : PromptReading.Plain);
        return Emit(scratch[..length], symbols, flags);
    }

    /// <summary>Normalises a policy term (or any short text) into new arrays.</summary>
    public static (char[] Symbols, byte[] Flags) NormalizeToArrays(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var isAscii = System.Text.Ascii.IsValid(text);
        char[]? rented = null;
        var decomposed = isAscii ? text.AsSpan() : Decompose(text, out rented);
        try
        {
            var max = MaxLength(decomposed.Length, isAscii);
            var scratch = new char[max];
            var symbols = new char[max];
            var flags = new byte[max];
            var n = Normalize(decomposed, isAscii, scratch, symbols, flags);
            return (symbols[..n], flags[..n]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// A readable rendering of the stream for tests and diagnostics: doubled symbols written twice, <c>i</c>/<c>l</c> as
    /// themselves and the ambiguous leet as <c>1</c>, soft boundaries as <c>·</c>.
    /// </summary>
    public static string Render(string text)
    {
        var (symbols, flags) = NormalizeToArrays(text);
        var builder = new StringBuilder(symbols.Length * 2);
        for (var i = 0; i < symbols.Length; i++)
        {
            if ((flags[i] & SoftBoundary) != 0 && i > 0 && symbols[i - 1] != WordSeparator)
            {
                builder.Append('·');
            }

            var c = symbols[i];
            if (c == 'i')
            {
                c = (flags[i] & LetterMask) switch
                {
                    LetterI => 'i',
                    LetterL => 'l',
                    _ => '1',
                };
            }

            builder.Append(c);
            if ((flags[i] & Doubled) != 0)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Stage 1 for ASCII text: fold case, drop controls, one separator between words. In the tight reading,
    /// punctuation with no whitespace around it is dropped, and only the words where that happened are kept (every other
    /// word reads the same as in the plain reading, which has been scanned already).
    /// </summary>
    private static int FoldAscii(ReadOnlySpan<char> text, Span<char> output, bool joinTight, out bool sawTight)
    {
        var n = 0;
        var pendingSeparator = false;
        var pendingWhitespace = false;
        var separator = new SeparatorHash();
        var wordStart = 0;
        var wordJoined = false;
        sawTight = false;
        foreach (var c in text)
        {
            var cls = PromptTextFolding.FoldAscii(c, out var folded);
            if (cls == PromptTextFolding.CharClass.Latin)
            {
                if (pendingSeparator)
                {
                    if (pendingWhitespace)
                    {
                        if (joinTight)
                        {
                            n = KeepJoinedWord(n, wordStart, wordJoined);
                            wordJoined = false;
                        }

                        if (n > 0)
                        {
                            output[n++] = separator.Code;
                        }

                        wordStart = n;
                    }
                    else
                    {
                        sawTight = true;
                        if (joinTight)
                        {
                            wordJoined = true;
                        }
                        else
                        {
                            output[n++] = separator.Code;
                        }
                    }

                    pendingSeparator = false;
                    pendingWhitespace = false;
                    separator = default;
                }

                output[n++] = folded;
            }
            else if (cls == PromptTextFolding.CharClass.Separator && n > 0)
            {
                pendingSeparator = true;
                var whitespace = c <= ' ';
                pendingWhitespace |= whitespace;
                separator.Add(whitespace ? ' ' : c);
            }
        }

        return joinTight ? KeepJoinedWord(n, wordStart, wordJoined) : n;
    }

    /// <summary>Stage 1 for decomposed Unicode text: as for ASCII, plus look-alikes, invisible characters and Han/kana/Thai edges.</summary>
    private static int FoldUnicode(ReadOnlySpan<char> text, Span<char> output, bool joinTight, bool secondLookAlike, out bool sawTight, out bool sawSecond)
    {
        sawSecond = false;
        Span<char> folded = stackalloc char[2];
        var n = 0;
        var pendingSeparator = false;
        var pendingWhitespace = false;
        var separator = new SeparatorHash();
        var wordStart = 0;
        var wordJoined = false;
        var lastClass = PromptTextFolding.CharClass.Ignore;
        var i = 0;
        sawTight = false;
        while (i < text.Length)
        {
            PromptTextFolding.CharClass cls;
            int written;
            bool whitespace;
            int value;
            var c = text[i];
            if (c < 128)
            {
                cls = PromptTextFolding.FoldAscii(c, out folded[0]);
                written = cls == PromptTextFolding.CharClass.Latin ? 1 : 0;
                whitespace = c <= ' ';
                value = c;
                i++;
            }
            else
            {
                if (Rune.DecodeFromUtf16(text[i..], out var rune, out var consumed) != OperationStatus.Done)
                {
                    rune = Rune.ReplacementChar;
                }

                var runeStart = i;
                i += Math.Max(consumed, 1);
                if (PromptTextFolding.HasSecondReading(rune.Value))
                {
                    sawSecond = true;
                }

                if (secondLookAlike && PromptTextFolding.HasSecondReading(rune.Value) && WordMixesScripts(text, runeStart))
                {
                    folded[0] = PromptTextFolding.SecondReading(rune.Value);
                    written = 1;
                    cls = PromptTextFolding.CharClass.Latin;
                }
                else
                {
                    cls = PromptTextFolding.FoldRune(rune, folded, out written);
                }

                whitespace = Rune.IsWhiteSpace(rune);
                value = rune.Value;
            }

            switch (cls)
            {
                case PromptTextFolding.CharClass.Ignore:
                    continue;
                case PromptTextFolding.CharClass.Separator:
                    if (n > 0)
                    {
                        pendingSeparator = true;
                        pendingWhitespace |= whitespace;
                        separator.Add(whitespace ? ' ' : value);
                    }

                    continue;
            }

            if (pendingSeparator)
            {
                if (pendingWhitespace)
                {
                    if (joinTight)
                    {
                        n = KeepJoinedWord(n, wordStart, wordJoined);
                        wordJoined = false;
                    }

                    if (n > 0)
                    {
                        output[n++] = separator.Code;
                    }

                    wordStart = n;
                }
                else
                {
                    sawTight = true;
                    if (joinTight)
                    {
                        wordJoined = true;
                    }
                    else
                    {
                        output[n++] = separator.Code;
                    }
                }

                pendingSeparator = false;
                pendingWhitespace = false;
                separator = default;
            }

            // The edge of a Han/kana/Thai run is a word boundary ("gore血"); other script changes are not, so that a
            // Cyrillic word whose look-alike letters fold to Latin ("жесть" -> "жectb") stays one word.
            var unspacedEdge = cls != lastClass && (cls == PromptTextFolding.CharClass.Unspaced || lastClass == PromptTextFolding.CharClass.Unspaced);
            if (unspacedEdge && n > 0 && !IsScratchSeparator(output[n - 1]))
            {
                output[n++] = UnspacedEdgeSeparator;
            }

            lastClass = cls;
            for (var k = 0; k < written; k++)
            {
                output[n++] = folded[k];
            }
        }

        return joinTight ? KeepJoinedWord(n, wordStart, wordJoined) : n;
    }

    /// <summary>
    /// True when the word around <paramref name="index"/> (letters, digits, marks and invisible format characters on
    /// either side) also holds a character that is not Greek: a Latin letter, a digit or leet symbol, or a letter of
    /// another script. Mixed-script words are how look-alike bypasses are written; whole Greek words are ordinary text.
    /// </summary>
    private static bool WordMixesScripts(ReadOnlySpan<char> text, int index)
    {
        var start = index;
        while (start > 0 && IsWordPart(text[start - 1]))
        {
            start--;
        }

        var end = index + 1;
        while (end < text.Length && IsWordPart(text[end]))
        {
            end++;
        }

        foreach (var c in text[start..end])
        {
            if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '@' or '$')
            {
                return true;
            }

            if (c >= 128 && char.IsLetter(c) && c is not ((>= '\u0370' and <= '\u03FF') or (>= '\u1F00' and <= '\u1FFF')))
            {
                return true;
            }
        }

        return false;

        static bool IsWordPart(char c) => char.IsLetterOrDigit(c) || c is '@' or '$'
            || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.Format;
    }

    /// <summary>Tight reading: keeps the word that ends at <paramref name="n"/> if punctuation was dropped inside it, else removes it (and the separator before it).</summary>
    private static int KeepJoinedWord(int n, int wordStart, bool joined) => joined ? n : Math.Max(wordStart - 1, 0);

    /// <summary>Stage 2: words to symbols (leetspeak, joined single letters, run collapsing, i/l merging).</summary>
    private static int Emit(ReadOnlySpan<char> words, Span<char> symbols, Span<byte> flags)
    {
        var writer = new SymbolWriter(symbols, flags);
        var position = 0;
        while (NextWord(words, ref position, out var start, out var length, out _))
        {
            if (length == 1)
            {
                // Look ahead: a run of three or more one-character words with at least one letter is joined.
                // The same separator must stand between all of them: "g o r e" and "g.o.r.e" are runs, while in
                // "f/1.8, g o r e" the "f", "1" and "8" are not part of the run that spells "gore".
                var runEnd = position;
                var count = 1;
                var hasLetter = IsLetter(words[start]);
                var cursor = position;
                var runSeparator = '\0';
                while (NextWord(words, ref cursor, out var nextStart, out var nextLength, out var separatorBefore) && nextLength == 1)
                {
                    if (count == 1)
                    {
                        runSeparator = separatorBefore;
                    }
                    else if (separatorBefore != runSeparator)
                    {
                        break;
                    }

                    count++;
                    hasLetter |= IsLetter(words[nextStart]);
                    runEnd = cursor;
                }

                if (count >= MinimumJoinedRun && hasLetter)
                {
                    // The joined run is one word ("C L A S S" is "class", which does not contain the word "ass"), except
                    // that a leading or trailing "a" or "i" may be an article or pronoun beside a spaced-out term
                    // ("a g o r e", "g o r e a lot").
                    var first = words[start];
                    var articleFirst = IsArticle(first);
                    writer.BeginWord();
                    writer.Write(first, LeetTable, soft: IsUnspaced(first));
                    var second = true;
                    while (position < runEnd && NextWord(words, ref position, out var s, out _, out _))
                    {
                        var c = words[s];
                        var articleLast = position == runEnd && IsArticle(c);
                        writer.Write(c, LeetTable, soft: IsUnspaced(c) || (second && articleFirst) || articleLast);
                        second = false;
                    }

                    continue;
                }
            }

            var word = words.Slice(start, length);
            var table = IsAllDigits(word) ? PlainTable : LeetTable;
            writer.BeginWord();
            foreach (var c in word)
            {
                writer.Write(c, table, soft: IsUnspaced(c));
            }
        }

        return writer.Count;
    }

    /// <summary>
    /// Finds the next word, with '!' trimmed from both ends (there it is punctuation, not a leet "i"), and the scratch
    /// separator just before it ('\0' for the first word).
    /// </summary>
    private static bool NextWord(ReadOnlySpan<char> words, ref int position, out int start, out int length, out char separatorBefore)
    {
        separatorBefore = '\0';
        while (position < words.Length)
        {
            while (position < words.Length && IsScratchSeparator(words[position]))
            {
                separatorBefore = words[position];
                position++;
            }

            var begin = position;
            while (position < words.Length && !IsScratchSeparator(words[position]))
            {
                position++;
            }

            var end = position;
            while (begin < end && words[begin] == '!')
            {
                begin++;
            }

            while (end > begin && words[end - 1] == '!')
            {
                end--;
            }

            if (end > begin)
            {
                start = begin;
                length = end - begin;
                return true;
            }
        }

        start = 0;
        length = 0;
        return false;
    }

    private static ushort[] BuildSymbolTable(bool leet)
    {
        var table = new ushort[128];
        for (var c = 0; c < 128; c++)
        {
            var symbol = (char)c;
            if (leet && c is >= '0' and <= '9' && LeetDigits[c - '0'] != '\0')
            {
                symbol = LeetDigits[c - '0'];
            }
            else if (c == '@')
            {
                symbol = 'a';
            }
            else if (c == '$')
            {
                symbol = 's';
            }
            else if (c == '!')
            {
                symbol = '?';
            }

            var (mapped, letter) = symbol switch
            {
                'i' => ('i', LetterI),
                'l' => ('i', LetterL),
                '?' => ('i', LetterMask),
                _ => (symbol, (byte)0),
            };
            table[c] = (ushort)(mapped | (letter << 8));
        }

        return table;
    }

    private static bool IsScratchSeparator(char c) => c is >= ScratchSeparatorBase and <= UnspacedEdgeSeparator;

    private static bool IsArticle(char c) => c is 'a' or 'i';

    private static bool IsUnspaced(char c) => c >= 128 && PromptTextFolding.IsUnspaced(c);

    private static bool IsLetter(char c) => c is (>= 'a' and <= 'z') or >= (char)128;

    private static bool IsAllDigits(ReadOnlySpan<char> word)
    {
        foreach (var c in word)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>NFKD into a pooled buffer; false (and nothing rented) when normalisation rejects the text.</summary>
    private static bool TryDecompose(ReadOnlySpan<char> source, out char[] rented, out int written)
    {
        // One normalisation call in the common case (NFKD rarely more than doubles a text); measure only when it did not fit.
        rented = ArrayPool<char>.Shared.Rent(Math.Max(source.Length * 2, 32));
        try
        {
            if (source.TryNormalize(rented, out written, NormalizationForm.FormKD))
            {
                return true;
            }

            ArrayPool<char>.Shared.Return(rented);
            rented = ArrayPool<char>.Shared.Rent(Math.Max(source.GetNormalizedLength(NormalizationForm.FormKD), 1));
            if (source.TryNormalize(rented, out written, NormalizationForm.FormKD))
            {
                return true;
            }
        }
        catch (ArgumentException)
        {
            // Rejected input: the caller cleans it and tries again.
        }

        ArrayPool<char>.Shared.Return(rented);
        rented = [];
        written = 0;
        return false;
    }

    private static string ReplaceInvalidCodeUnits(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]) || chars[i] >= '\uFFFE')
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }

    /// <summary>A hash of one separator run (repeats collapsed), written as a scratch separator character.</summary>
    private struct SeparatorHash
    {
        private int hash;
        private int last;

        public readonly char Code => (char)(ScratchSeparatorBase + (hash & (ScratchSeparatorMask - 1)));

        public void Add(int value)
        {
            if (value != last)
            {
                hash = unchecked((hash * 31) + value);
                last = value;
            }
        }
    }

    /// <summary>Writes symbols, collapsing runs of the same letter within a word.</summary>
    private ref struct SymbolWriter
    {
        private readonly Span<char> symbols;
        private readonly Span<byte> flags;
        private char previousSymbol;
        private byte previousLetter;

        public SymbolWriter(Span<char> symbols, Span<byte> flags)
        {
            this.symbols = symbols;
            this.flags = flags;
        }

        public int Count { get; private set; }

        public void BeginWord()
        {
            if (Count > 0)
            {
                symbols[Count] = WordSeparator;
                flags[Count] = 0;
                Count++;
            }

            previousSymbol = '\0';
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Write(char c, ushort[] table, bool soft)
        {
            char symbol;
            byte letter;
            if (c < 128)
            {
                // One table read: the symbol in the low byte, the i/l letter flags in the high byte.
                var entry = table[c];
                symbol = (char)(entry & 0xFF);
                letter = (byte)(entry >> 8);
            }
            else
            {
                symbol = c;
                letter = 0;
            }

            if (symbol == previousSymbol && letter == previousLetter)
            {
                flags[Count - 1] |= Doubled;
                return;
            }

            symbols[Count] = symbol;
            flags[Count] = (byte)(letter | (soft ? SoftBoundary : 0));
            Count++;
            previousSymbol = symbol;
            previousLetter = letter;
        }
    }
}
