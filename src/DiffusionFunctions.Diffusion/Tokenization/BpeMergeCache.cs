using System.Collections.Concurrent;

namespace DiffusionFunctions.Diffusion.Tokenization;

/// <summary>
/// Remembers the ids each pre-token merged into (the reference's <c>self.cache</c>), thread-safe and bounded:
/// when it reaches its capacity it starts over empty, so a stream of unique words cannot grow it without limit.
/// </summary>
internal sealed class BpeMergeCache
{
    private readonly ConcurrentDictionary<string, int[]> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _capacity;
    private int _count;

    public BpeMergeCache(int capacity)
    {
        _capacity = capacity;
        _lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Entries held now (approximate while other threads add).</summary>
    public int Count => Volatile.Read(ref _count);

    public bool TryGet(ReadOnlySpan<char> word, out int[] ids)
    {
        if (_capacity == 0)
        {
            ids = [];
            return false;
        }

        return _lookup.TryGetValue(word, out ids!);
    }

    public void Add(ReadOnlySpan<char> word, int[] ids)
    {
        if (_capacity == 0)
        {
            return;
        }

        if (Volatile.Read(ref _count) >= _capacity)
        {
            Clear();
        }

        if (_lookup.TryAdd(word, ids))
        {
            Interlocked.Increment(ref _count);
        }
    }

    public void Clear()
    {
        _entries.Clear();
        Volatile.Write(ref _count, 0);
    }
}
