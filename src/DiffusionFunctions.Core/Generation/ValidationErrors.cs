namespace DiffusionFunctions.Core.Generation;

/// <summary>
/// Per-field validation messages, keyed by the JSON field name (camelCase). Order of fields is kept. Bounded, so that a
/// hostile body cannot make the error response grow with it: at most <see cref="MaxFields"/> fields and
/// <see cref="MaxMessagesPerField"/> messages each are kept, field names are cut to <see cref="MaxFieldNameLength"/>
/// characters, and <see cref="Omitted"/> counts what was left out.
/// </summary>
public sealed class ValidationErrors
{
    /// <summary>Most fields reported.</summary>
    public const int MaxFields = 20;

    /// <summary>Most messages reported for one field.</summary>
    public const int MaxMessagesPerField = 3;

    /// <summary>Longest field name reported (longer names are cut and end in "…").</summary>
    public const int MaxFieldNameLength = 64;

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>True when no message was added.</summary>
    public bool IsEmpty => _order.Count == 0;

    /// <summary>How many messages were left out by the bounds.</summary>
    public int Omitted { get; private set; }

    /// <summary>True when no further field would be reported (callers may stop looking for more errors).</summary>
    public bool IsFull => _order.Count >= MaxFields;

    /// <summary>
    /// A client-supplied value for quoting in a message: cut to <see cref="MaxFieldNameLength"/> characters, so that an
    /// error never echoes a large value back (a 12 MB <c>scheduler</c> would otherwise come back twice).
    /// </summary>
    public static string Quote(string value) => Shorten(value);

    /// <summary><paramref name="name"/> cut to <see cref="MaxFieldNameLength"/> characters, for keys and messages.</summary>
    public static string Shorten(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length <= MaxFieldNameLength ? name : string.Concat(name.AsSpan(0, MaxFieldNameLength - 1), "…");
    }

    /// <summary>The first field that got a message, or null.</summary>
    public string? FirstField => _order.Count == 0 ? null : _order[0];

    /// <summary>Adds <paramref name="message"/> for <paramref name="field"/>.</summary>
    public void Add(string field, string message)
    {
        field = Shorten(field);
        if (!_errors.TryGetValue(field, out var list))
        {
            if (IsFull)
            {
                Omitted++;
                return;
            }

            list = [];
            _errors[field] = list;
            _order.Add(field);
        }

        if (list.Count >= MaxMessagesPerField)
        {
            Omitted++;
            return;
        }

        list.Add(message);
    }

    /// <summary>Counts <paramref name="count"/> items a caller stopped checking once <see cref="IsFull"/> (they go into <see cref="Omitted"/>).</summary>
    public void AddUnchecked(int count) => Omitted += Math.Max(count, 0);

    /// <summary>True when <paramref name="field"/> has at least one message.</summary>
    public bool Contains(string field) => _errors.ContainsKey(Shorten(field));

    /// <summary>A copy as the <c>errors</c> member of a validation problem.</summary>
    public Dictionary<string, string[]> ToDictionary()
    {
        var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var field in _order)
        {
            result[field] = [.. _errors[field]];
        }

        return result;
    }

    /// <summary>One line naming every field and its first message, for problem <c>detail</c>.</summary>
    public string Summarize() => string.Join(" ", _order.Select(f => _errors[f][0]))
        + (Omitted > 0 ? $" ({Omitted} more errors or unchecked fields not shown.)" : string.Empty);
}
