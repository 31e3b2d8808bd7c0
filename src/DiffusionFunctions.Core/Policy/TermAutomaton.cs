using System.Collections.Frozen;

namespace DiffusionFunctions.Core.Policy;

/// <summary>One pattern fed to the automaton: a term's normalised symbols plus what each position must have been.</summary>
/// <param name="Symbols">The normalised symbols of the term (or of one of its plural forms).</param>
/// <param name="Needs">Per symbol, the flags the text must carry there (<see cref="PromptTextNormalizer.Doubled"/>,
/// <see cref="PromptTextNormalizer.LetterI"/> or <see cref="PromptTextNormalizer.LetterL"/>), or
/// <see cref="PromptTextNormalizer.MustBeSingle"/> where it must not be doubled; 0 for none.</param>
/// <param name="TermIndex">Index of the policy term it reports.</param>
/// <param name="BoundaryBefore">Whether a word boundary must come just before it.</param>
/// <param name="BoundaryAfter">Whether a word boundary must come just after it.</param>
/// <param name="ExceptionSet">Index of the set of innocent whole words in which a match without both boundaries does not
/// count (<c>except</c>), or -1.</param>
internal sealed record TermPattern(char[] Symbols, byte[] Needs, int TermIndex, bool BoundaryBefore, bool BoundaryAfter, int ExceptionSet = -1);

/// <summary>
/// An Aho–Corasick automaton over normalised symbols (Aho and Corasick, "Efficient string matching", CACM 1975).
/// ASCII symbols (the letters, digits and word separator of almost every prompt) use a dense transition table completed
/// into a DFA, so scanning them costs one table read per symbol whatever the number of terms. Each entry holds the
/// target's row offset (state × columns), bit-inverted when the target ends a pattern (its own or, through the
/// dictionary-suffix links, a shorter one), so the scan loop tests one sign bit to know whether there is anything to
/// verify. Non-ASCII symbols (terms in other scripts) would multiply the table by their number, so they are kept as
/// sparse goto edges followed with the classic failure links instead. A candidate is verified against the flags
/// (run length, i versus l) and, for word and phrase terms, the word boundaries its term requires (both ends unless the
/// term is joined), and a joined match against the term's innocent words.
/// </summary>
internal sealed class TermAutomaton
{
    private readonly int columns;
    private readonly sbyte[] asciiColumns;
    private readonly int[] transitions;
    private readonly FrozenDictionary<long, int> otherEdges;
    private readonly FrozenSet<char> otherSymbols;
    private readonly int[] fail;
    private readonly int[] outputStart;
    private readonly int[] outputCount;
    private readonly int[] dictionaryLink;
    private readonly Output[] outputs;
    private readonly short[] needOffsets;
    private readonly byte[] needMasks;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>>[] exceptionSets;

    private TermAutomaton(
        int columns,
        sbyte[] asciiColumns,
        int[] transitions,
        FrozenDictionary<long, int> otherEdges,
        int[] fail,
        int[] outputStart,
        int[] outputCount,
        int[] dictionaryLink,
        Output[] outputs,
        short[] needOffsets,
        byte[] needMasks,
        FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>>[] exceptionSets)
    {
        this.exceptionSets = exceptionSets;
        this.columns = columns;
        this.asciiColumns = asciiColumns;
        this.transitions = transitions;
        this.otherEdges = otherEdges;
        otherSymbols = otherEdges.Keys.Select(k => (char)(k & 0xFFFF)).ToFrozenSet();
        this.fail = fail;
        this.outputStart = outputStart;
        this.outputCount = outputCount;
        this.dictionaryLink = dictionaryLink;
        this.outputs = outputs;
        this.needOffsets = needOffsets;
        this.needMasks = needMasks;
    }

    /// <summary>Number of automaton states (trie nodes).</summary>
    public int StateCount => outputStart.Length;

    /// <summary>Number of ASCII symbols the terms use (dense table columns).</summary>
    public int ColumnCount => columns;

    /// <summary>Builds the automaton; patterns must be non-empty.</summary>
    /// <param name="patterns">The patterns.</param>
    /// <param name="exceptionSets">Innocent whole words (normalised symbols) per <see cref="TermPattern.ExceptionSet"/> index.</param>
    public static TermAutomaton Build(IReadOnlyList<TermPattern> patterns, IReadOnlyList<FrozenSet<string>>? exceptionSets = null)
    {
        ArgumentNullException.ThrowIfNull(patterns);

        // 1. Alphabet: one dense column per distinct ASCII symbol used by any pattern.
        var asciiColumns = new sbyte[128];
        Array.Fill(asciiColumns, (sbyte)-1);
        var columns = 0;
        foreach (var pattern in patterns)
        {
            foreach (var symbol in pattern.Symbols)
            {
                if (symbol < 128 && asciiColumns[symbol] < 0)
                {
                    asciiColumns[symbol] = checked((sbyte)columns++);
                }
            }
        }

        columns = Math.Max(columns, 1);

        // 2. Trie (goto function): dense rows for ASCII (-1 = no edge yet), a dictionary for other symbols.
        var table = new GrowableInts(columns * 1024, -1);
        table.EnsureRow(0, columns);
        var otherEdges = new Dictionary<long, int>();
        var otherChildren = new Dictionary<int, List<(char Symbol, int Child)>>();
        var stateCount = 1;
        var firstPattern = new GrowableInts(1024, -1);
        var nextPattern = new int[patterns.Count];
        for (var p = 0; p < patterns.Count; p++)
        {
            var state = 0;
            foreach (var symbol in patterns[p].Symbols)
            {
                if (symbol < 128)
                {
                    var slot = (state * columns) + asciiColumns[symbol];
                    var next = table[slot];
                    if (next < 0)
                    {
                        next = stateCount++;
                        table.EnsureRow(next, columns);
                        table[slot] = next;
                    }

                    state = next;
                }
                else
                {
                    if (!otherEdges.TryGetValue(EdgeKey(state, symbol), out var next))
                    {
                        next = stateCount++;
                        table.EnsureRow(next, columns);
                        otherEdges.Add(EdgeKey(state, symbol), next);
                        if (!otherChildren.TryGetValue(state, out var list))
                        {
                            otherChildren.Add(state, list = []);
                        }

                        list.Add((symbol, next));
                    }

                    state = next;
                }
            }

            nextPattern[p] = firstPattern[state];
            firstPattern[state] = p;
        }

        // 3. Failure links in breadth-first order, completing the dense table into a DFA as we go.
        var fail = new int[stateCount];
        var queue = new Queue<int>();
        for (var c = 0; c < columns; c++)
        {
            var child = table[c];
            if (child < 0)
            {
                table[c] = 0;
            }
            else
            {
                queue.Enqueue(child);
            }
        }

        if (otherChildren.TryGetValue(0, out var rootOthers))
        {
            foreach (var (_, child) in rootOthers)
            {
                queue.Enqueue(child);
            }
        }

        var order = new List<int>(stateCount);
        while (queue.Count > 0)
        {
            var state = queue.Dequeue();
            order.Add(state);
            var row = state * columns;
            var failRow = fail[state] * columns;
            for (var c = 0; c < columns; c++)
            {
                var child = table[row + c];
                if (child < 0)
                {
                    table[row + c] = table[failRow + c];
                }
                else
                {
                    fail[child] = table[failRow + c];
                    queue.Enqueue(child);
                }
            }

            if (otherChildren.TryGetValue(state, out var others))
            {
                foreach (var (symbol, child) in others)
                {
                    fail[child] = FollowOther(otherEdges, fail, fail[state], symbol);
                    queue.Enqueue(child);
                }
            }
        }

        // 4. Dictionary-suffix links: the nearest state on the failure chain that ends a pattern itself.
        var dictionaryLink = new int[stateCount];
        dictionaryLink[0] = -1;
        foreach (var state in order)
        {
            var f = fail[state];
            dictionaryLink[state] = f != 0 && firstPattern[f] >= 0 ? f : dictionaryLink[f];
        }

        // 5. Flatten outputs per state and the per-position needs of each pattern.
        var outputStart = new int[stateCount];
        var outputCount = new int[stateCount];
        var outputs = new List<Output>(patterns.Count);
        var needOffsets = new List<short>();
        var needMasks = new List<byte>();
        for (var state = 0; state < stateCount; state++)
        {
            outputStart[state] = outputs.Count;
            for (var p = firstPattern[state]; p >= 0; p = nextPattern[p])
            {
                var pattern = patterns[p];
                var needStart = needOffsets.Count;
                for (var i = 0; i < pattern.Needs.Length; i++)
                {
                    if (pattern.Needs[i] != 0)
                    {
                        needOffsets.Add(checked((short)i));
                        needMasks.Add(pattern.Needs[i]);
                    }
                }

                outputs.Add(new Output(pattern.TermIndex, pattern.Symbols.Length, pattern.BoundaryBefore, pattern.BoundaryAfter, pattern.ExceptionSet, needStart, needOffsets.Count - needStart));
            }

            outputCount[state] = outputs.Count - outputStart[state];
        }

        // 6. Encode the dense table: row offsets, inverted when the target has anything to report.
        var transitions = new int[stateCount * columns];
        for (var i = 0; i < transitions.Length; i++)
        {
            var target = table[i];
            var reports = outputCount[target] > 0 || dictionaryLink[target] >= 0;
            transitions[i] = reports ? ~(target * columns) : target * columns;
        }

        return new TermAutomaton(
            columns,
            asciiColumns,
            transitions,
            otherEdges.ToFrozenDictionary(),
            fail,
            outputStart,
            outputCount,
            dictionaryLink,
            [.. outputs],
            [.. needOffsets],
            [.. needMasks],
            [.. (exceptionSets ?? []).Select(set => set.GetAlternateLookup<ReadOnlySpan<char>>())]);
    }

    /// <summary>Scans a normalised symbol stream and adds the index of every term that matches to <paramref name="found"/>.</summary>
    public void Scan(ReadOnlySpan<char> symbols, ReadOnlySpan<byte> flags, ref TermMatchSet found)
    {
        var table = transitions;
        var asciiColumn = asciiColumns;
        var row = 0;
        for (var position = 0; position < symbols.Length; position++)
        {
            var symbol = symbols[position];
            if (symbol >= 128)
            {
                // Rare: a symbol from another script. Sparse edges plus failure links; unknown symbols reset to the root.
                var state = otherSymbols.Contains(symbol) ? FollowOther(otherEdges, fail, row / columns, symbol) : 0;
                row = state * columns;
                if (outputCount[state] > 0 || dictionaryLink[state] >= 0)
                {
                    Report(state, position, symbols, flags, ref found);
                }

                continue;
            }

            var column = asciiColumn[symbol];
            if (column < 0)
            {
                row = 0;
                continue;
            }

            var next = table[row + column];
            if (next >= 0)
            {
                row = next;
                continue;
            }

            row = ~next;
            Report(row / columns, position, symbols, flags, ref found);
        }
    }

    private static long EdgeKey(int state, char symbol) => ((long)state << 16) | symbol;

    /// <summary>The classic Aho–Corasick step for a sparse symbol: follow failure links until an edge exists (or the root).</summary>
    private static int FollowOther(IReadOnlyDictionary<long, int> edges, int[] fail, int state, char symbol)
    {
        while (true)
        {
            if (edges.TryGetValue(EdgeKey(state, symbol), out var next))
            {
                return next;
            }

            if (state == 0)
            {
                return 0;
            }

            state = fail[state];
        }
    }

    private void Report(int state, int end, ReadOnlySpan<char> symbols, ReadOnlySpan<byte> flags, ref TermMatchSet found)
    {
        for (var s = outputCount[state] > 0 ? state : dictionaryLink[state]; s >= 0; s = dictionaryLink[s])
        {
            var stop = outputStart[s] + outputCount[s];
            for (var o = outputStart[s]; o < stop; o++)
            {
                ref readonly var output = ref outputs[o];
                if (Verify(output, end, symbols, flags))
                {
                    found.Add(output.TermIndex);
                }
            }
        }
    }

    private bool Verify(in Output output, int end, ReadOnlySpan<char> symbols, ReadOnlySpan<byte> flags)
    {
        var start = end - output.Length + 1;
        var stop = output.NeedStart + output.NeedCount;
        for (var k = output.NeedStart; k < stop; k++)
        {
            var mask = needMasks[k];
            var actual = flags[start + needOffsets[k]];
            if ((mask & PromptTextNormalizer.MustBeSingle) != 0)
            {
                if ((actual & PromptTextNormalizer.Doubled) != 0)
                {
                    return false;
                }

                mask &= unchecked((byte)~PromptTextNormalizer.MustBeSingle);
            }

            if ((actual & mask) != mask)
            {
                return false;
            }
        }

        var boundaryBefore = IsBoundaryBefore(start, symbols, flags);
        var boundaryAfter = IsBoundaryBefore(end + 1, symbols, flags);
        if ((output.BoundaryBefore && !boundaryBefore) || (output.BoundaryAfter && !boundaryAfter))
        {
            return false;
        }

        if (output.ExceptionSet < 0 || (boundaryBefore && boundaryAfter))
        {
            return true;
        }

        // Joined to other letters: the whole word it sits in may be one of the term's innocent words ("ashkenazi").
        var wordStart = start;
        while (!IsBoundaryBefore(wordStart, symbols, flags))
        {
            wordStart--;
        }

        var wordEnd = end + 1;
        while (!IsBoundaryBefore(wordEnd, symbols, flags))
        {
            wordEnd++;
        }

        return !exceptionSets[output.ExceptionSet].Contains(symbols[wordStart..wordEnd]);
    }

    /// <summary>True when a word boundary lies just before <paramref name="index"/> (the text's edges count).</summary>
    private static bool IsBoundaryBefore(int index, ReadOnlySpan<char> symbols, ReadOnlySpan<byte> flags) =>
        index <= 0
        || index >= symbols.Length
        || symbols[index - 1] == PromptTextNormalizer.WordSeparator
        || symbols[index] == PromptTextNormalizer.WordSeparator
        || (flags[index] & PromptTextNormalizer.SoftBoundary) != 0;

    private readonly record struct Output(int TermIndex, int Length, bool BoundaryBefore, bool BoundaryAfter, int ExceptionSet, int NeedStart, int NeedCount);

    /// <summary>An int array that grows by doubling, new slots filled with a given value.</summary>
    private sealed class GrowableInts(int capacity, int fill)
    {
        private int[] items = NewFilled(capacity, fill);

        public int this[int index]
        {
            get
            {
                Ensure(index + 1);
                return items[index];
            }

            set
            {
                Ensure(index + 1);
                items[index] = value;
            }
        }

        public void EnsureRow(int row, int width) => Ensure((row + 1) * width);

        private void Ensure(int length)
        {
            if (length <= items.Length)
            {
                return;
            }

            var bigger = NewFilled(Math.Max(length, items.Length * 2), fill);
            items.CopyTo(bigger, 0);
            items = bigger;
        }

        private static int[] NewFilled(int length, int value)
        {
            var array = new int[length];
            Array.Fill(array, value);
            return array;
        }
    }
}
