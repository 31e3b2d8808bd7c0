namespace DiffusionFunctions.Core.Policy;

/// <summary>
/// The distinct term indices found by one scan, in order of first occurrence. Lives on the stack: the first few go into
/// a caller-provided span, only an unusual number of distinct matches spills into a list.
/// </summary>
internal ref struct TermMatchSet
{
    private readonly Span<int> buffer;
    private List<int>? overflow;

    public TermMatchSet(Span<int> buffer)
    {
        this.buffer = buffer;
    }

    /// <summary>How many distinct terms were found.</summary>
    public int Count { get; private set; }

    /// <summary>The i-th distinct term index, in order of first occurrence.</summary>
    public readonly int this[int index] => index < buffer.Length ? buffer[index] : overflow![index - buffer.Length];

    /// <summary>Adds a term index unless it is already present.</summary>
    public void Add(int termIndex)
    {
        for (var i = 0; i < Count; i++)
        {
            if (this[i] == termIndex)
            {
                return;
            }
        }

        if (Count < buffer.Length)
        {
            buffer[Count] = termIndex;
        }
        else
        {
            (overflow ??= []).Add(termIndex);
        }

        Count++;
    }
}
