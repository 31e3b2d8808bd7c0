using System.Globalization;

namespace DiffusionFunctions.Benchmarks;

/// <summary>The <c>--name value</c> options a benchmark report takes from its arguments.</summary>
internal static class BenchmarkArguments
{
    /// <summary>The integer after <paramref name="name"/>, or <paramref name="fallback"/> when it is not given.</summary>
    public static int Int(string[] args, string name, int fallback)
        => Text(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The text after <paramref name="name"/>, or null when it is not given.</summary>
    public static string? Text(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
