using System.Text.RegularExpressions;

namespace DiffusionFunctions.Core.Storage;

/// <summary>Azure Storage naming rules for containers and queues (3-63 characters, lowercase letters, digits, single hyphens).</summary>
public static partial class StorageNames
{
    /// <summary>True when <paramref name="name"/> is a valid blob container name.</summary>
    public static bool IsValidContainerName(string? name) => name is not null && ValidName().IsMatch(name);

    /// <summary>True when <paramref name="name"/> is a valid queue name (queue and container rules are the same).</summary>
    public static bool IsValidQueueName(string? name) => name is not null && ValidName().IsMatch(name);

    // \A and \z, not ^ and $: $ also matches before a final "\n" (in the look-ahead too).
    [GeneratedRegex(@"\A(?=.{3,63}\z)[a-z0-9]+(-[a-z0-9]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex ValidName();
}
