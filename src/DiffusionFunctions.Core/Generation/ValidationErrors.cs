namespace DiffusionFunctions.Core.Generation;

/// <summary>Per-field validation messages, keyed by the JSON field name (camelCase). Order of fields is kept.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>True when no message was added.</summary>
    public bool IsEmpty => _order.Count == 0;

    /// <summary>The first field that got a message, or null.</summary>
    public string? FirstField => _order.Count == 0 ? null : _order[0];

    /// <summary>Adds <paramref name="message"/> for <paramref name="field"/>.</summary>
    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            list = [];
            _errors[field] = list;
            _order.Add(field);
        }

        list.Add(message);
    }

    /// <summary>True when <paramref name="field"/> has at least one message.</summary>
    public bool Contains(string field) => _errors.ContainsKey(field);

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
    public string Summarize() => string.Join(" ", _order.Select(f => _errors[f][0]));
}
