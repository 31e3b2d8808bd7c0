using System.Buffers;
using System.Text;

namespace DiffusionFunctions.Diffusion.Tokenization;

/// <summary>
/// The byte-level BPE of openai/CLIP <c>simple_tokenizer.py</c> (<c>SimpleTokenizer.bpe</c>): a word's UTF-8 bytes become
/// byte-level symbols, the last one carrying <c>&lt;/w&gt;</c>; the adjacent pair with the lowest merge rank is joined
/// everywhere (left to right) until no ranked pair is left. Works on ids instead of strings, which is equivalent because
/// every merge result is itself a vocabulary entry.
/// </summary>
internal sealed class ClipBpeModel
{
    private const string WordEnd = "</w>";

    private readonly string?[] _idToToken;
    private readonly Dictionary<long, MergeRule> _merges;
    private readonly int[] _byteIds = new int[256];
    private readonly int[] _byteEndIds = new int[256];
    private readonly BpeMergeCache _cache;

    private ClipBpeModel(string?[] idToToken, Dictionary<long, MergeRule> merges, BpeMergeCache cache)
    {
        _idToToken = idToToken;
        _merges = merges;
        _cache = cache;
    }

    private readonly record struct MergeRule(int Rank, int MergedId);

    /// <summary>Number of ids (highest id + 1).</summary>
    public int VocabularySize => _idToToken.Length;

    public int MergeCount => _merges.Count;

    public BpeMergeCache Cache => _cache;

    /// <summary>Builds the model; <paramref name="describeMerge"/> names a merge's source (file and line) in errors.</summary>
    /// <exception cref="InvalidDataException">The vocabulary lacks a byte symbol or a merge result.</exception>
    public static ClipBpeModel Build(
        IReadOnlyDictionary<string, int> vocabulary,
        IEnumerable<(string First, string Second)> merges,
        int cacheCapacity,
        string vocabularySource,
        Func<int, string> describeMerge)
    {
        var maxId = -1;
        foreach (var (token, id) in vocabulary)
        {
            if (id < 0)
            {
                throw new InvalidDataException($"{vocabularySource} gives '{token}' the negative id {id}.");
            }

            maxId = Math.Max(maxId, id);
        }

        var idToToken = new string?[maxId + 1];
        foreach (var (token, id) in vocabulary)
        {
            if (idToToken[id] is { } other)
            {
                throw new InvalidDataException($"{vocabularySource} gives both '{other}' and '{token}' the id {id}.");
            }

            idToToken[id] = token;
        }

        // dict(zip(merges, range(len(merges)))): a repeated pair keeps its last rank, as in the reference.
        var rules = new Dictionary<long, MergeRule>(PairKeyComparer.Instance);
        var rank = 0;
        foreach (var (first, second) in merges)
        {
            if (vocabulary.TryGetValue(first, out var left) && vocabulary.TryGetValue(second, out var right))
            {
                if (!vocabulary.TryGetValue(first + second, out var merged))
                {
                    throw new InvalidDataException(
                        $"{describeMerge(rank)} joins '{first}' and '{second}' into '{first + second}', which {vocabularySource} does not contain.");
                }

                rules[Key(left, right)] = new MergeRule(rank, merged);
            }

            rank++;
        }

        var model = new ClipBpeModel(idToToken, rules, new BpeMergeCache(cacheCapacity));
        for (var b = 0; b < 256; b++)
        {
            var symbol = ByteLevelAlphabet.ToChar((byte)b).ToString();
            model._byteIds[b] = vocabulary.TryGetValue(symbol, out var id)
                ? id
                : throw new InvalidDataException($"{vocabularySource} lacks the byte-level symbol '{symbol}' (byte 0x{b:X2}).");
            model._byteEndIds[b] = vocabulary.TryGetValue(symbol + WordEnd, out id)
                ? id
                : throw new InvalidDataException($"{vocabularySource} lacks the byte-level symbol '{symbol}{WordEnd}' (byte 0x{b:X2}).");
        }

        return model;
    }

    /// <summary>The token text of <paramref name="id"/>, or <see langword="null"/> when the vocabulary has no such id.</summary>
    public string? TokenOf(int id) => (uint)id < (uint)_idToToken.Length ? _idToToken[id] : null;

    /// <summary>Appends the ids of one pre-token (as found in the cleaned text) to <paramref name="output"/>.</summary>
    public void AppendWord(ReadOnlySpan<char> word, List<int> output)
    {
        if (word.Length > MaxCachedWordLength)
        {
            output.AddRange(MergeWord(word));
            return;
        }

        if (_cache.TryGet(word, out var cached))
        {
            output.AddRange(cached);
            return;
        }

        var ids = MergeWord(word);
        _cache.Add(word, ids);
        output.AddRange(ids);
    }

    /// <summary>Longer words are not cached, so the cache's memory stays bounded by its entry count (they are rare anyway).</summary>
    internal const int MaxCachedWordLength = 64;

    /// <summary>Words of more symbols than this merge with a priority queue (O(n log n)) instead of repeated scans (O(n²)).</summary>
    internal const int LongWordSymbols = 48;

    /// <summary>Merges one pre-token without the cache; <paramref name="strategy"/> picks the algorithm (tests compare them).</summary>
    internal int[] MergeWord(ReadOnlySpan<char> word, BpeMergeStrategy strategy = BpeMergeStrategy.Automatic)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(word.Length);
        byte[]? rentedBytes = null;
        var bytes = maxBytes <= 256 ? stackalloc byte[256] : (rentedBytes = ArrayPool<byte>.Shared.Rent(maxBytes));
        int[]? rentedSymbols = null;
        try
        {
            // Lone surrogates become U+FFFD's bytes (Python would refuse to encode them).
            var byteCount = Encoding.UTF8.GetBytes(word, bytes);
            var symbols = byteCount <= 64 ? stackalloc int[64] : (rentedSymbols = ArrayPool<int>.Shared.Rent(byteCount));
            for (var i = 0; i < byteCount - 1; i++)
            {
                symbols[i] = _byteIds[bytes[i]];
            }

            symbols[byteCount - 1] = _byteEndIds[bytes[byteCount - 1]];
            var useQueue = strategy == BpeMergeStrategy.PriorityQueue
                || (strategy == BpeMergeStrategy.Automatic && byteCount > LongWordSymbols);
            var count = useQueue ? MergeWithQueue(symbols[..byteCount]) : Merge(symbols[..byteCount]);
            return symbols[..count].ToArray();
        }
        finally
        {
            if (rentedBytes is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedBytes);
            }

            if (rentedSymbols is not null)
            {
                ArrayPool<int>.Shared.Return(rentedSymbols);
            }
        }
    }

    /// <summary>
    /// Merges <paramref name="symbols"/> in place like the reference: find the lowest-ranked adjacent pair, join every
    /// occurrence left to right, repeat. Returns how many symbols remain.
    /// </summary>
    private int Merge(Span<int> symbols)
    {
        var count = symbols.Length;
        while (count > 1)
        {
            var bestRank = int.MaxValue;
            var bestLeft = 0;
            var bestRight = 0;
            var bestMerged = 0;
            for (var i = 0; i < count - 1; i++)
            {
                if (_merges.TryGetValue(Key(symbols[i], symbols[i + 1]), out var rule) && rule.Rank < bestRank)
                {
                    (bestRank, bestLeft, bestRight, bestMerged) = (rule.Rank, symbols[i], symbols[i + 1], rule.MergedId);
                }
            }

            if (bestRank == int.MaxValue)
            {
                break;
            }

            var write = 0;
            var read = 0;
            while (read < count)
            {
                if (read < count - 1 && symbols[read] == bestLeft && symbols[read + 1] == bestRight)
                {
                    symbols[write++] = bestMerged;
                    read += 2;
                }
                else
                {
                    symbols[write++] = symbols[read++];
                }
            }

            count = write;
        }

        return count;
    }

    /// <summary>
    /// The same result as <see cref="Merge"/> in O(n log n), so a very long word cannot stall a worker: symbols form a
    /// linked list, candidate pairs wait in a queue ordered by (rank, position). All queued pairs of the lowest rank are
    /// joined left to right in one pass before the pairs that pass creates are queued, which is exactly the reference's
    /// "merge every occurrence, then look again" (a pass can never create a pair of its own rank).
    /// </summary>
    private int MergeWithQueue(Span<int> symbols)
    {
        var n = symbols.Length;
        var ids = symbols.ToArray();
        var next = new int[n];
        var prev = new int[n];
        var alive = new bool[n];
        for (var i = 0; i < n; i++)
        {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
            alive[i] = true;
        }

        var queue = new PriorityQueue<int, long>(n);
        for (var i = 0; i + 1 < n; i++)
        {
            Enqueue(queue, ids, i, i + 1);
        }

        var merged = new List<int>();
        while (queue.TryPeek(out _, out var head))
        {
            var rank = (int)(head >> 32);
            merged.Clear();
            while (queue.TryPeek(out var position, out var priority) && (int)(priority >> 32) == rank)
            {
                queue.Dequeue();
                var right = alive[position] ? next[position] : -1;
                if (right < 0 || !_merges.TryGetValue(Key(ids[position], ids[right]), out var rule) || rule.Rank != rank)
                {
                    continue; // stale: a symbol of this pair was joined to something else meanwhile
                }

                ids[position] = rule.MergedId;
                alive[right] = false;
                next[position] = next[right];
                if (next[right] >= 0)
                {
                    prev[next[right]] = position;
                }

                merged.Add(position);
            }

            foreach (var position in merged)
            {
                if (!alive[position])
                {
                    continue;
                }

                if (prev[position] >= 0)
                {
                    Enqueue(queue, ids, prev[position], position);
                }

                if (next[position] >= 0)
                {
                    Enqueue(queue, ids, position, next[position]);
                }
            }
        }

        var count = 0;
        for (var i = 0; i >= 0; i = next[i])
        {
            symbols[count++] = ids[i];
        }

        return count;
    }

    private void Enqueue(PriorityQueue<int, long> queue, int[] ids, int left, int right)
    {
        if (_merges.TryGetValue(Key(ids[left], ids[right]), out var rule))
        {
            queue.Enqueue(left, ((long)rule.Rank << 32) | (uint)left);
        }
    }

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    /// <summary>
    /// Hashes a pair key with a multiplicative mix: <see cref="long.GetHashCode"/> XORs the halves, which puts every pair
    /// of ids below 512 (most of the early merges, and most pairs looked up) into 512 buckets.
    /// </summary>
    private sealed class PairKeyComparer : IEqualityComparer<long>
    {
        public static readonly PairKeyComparer Instance = new();

        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long obj) => (int)(((ulong)obj * 0x9E3779B97F4A7C15UL) >> 32);
    }
}
