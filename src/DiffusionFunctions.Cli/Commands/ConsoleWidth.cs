using System.Globalization;

namespace DiffusionFunctions.Cli.Commands;

/// <summary>
/// The width dfx lays tables and progress bars out in: <c>COLUMNS</c> when it is set to a positive number, otherwise the
/// terminal's width, and when the output is not a terminal (a pipe, <c>tee</c>, a CI log) <see cref="Unbounded"/>, so
/// nothing is hard-wrapped at a made-up 80 columns. Plain lines (paths, summaries) are never wrapped at all.
/// </summary>
public static class ConsoleWidth
{
    /// <summary>The width used when the output is not a terminal and <c>COLUMNS</c> is unset.</summary>
    public const int Unbounded = 4096;

    /// <summary>Resolves the width.</summary>
    /// <param name="columns">The <c>COLUMNS</c> environment variable, or <see langword="null"/>.</param>
    /// <param name="outputRedirected">Whether standard output is not a terminal.</param>
    /// <param name="terminalWidth">The terminal's width when it is one (0 or less when unknown).</param>
    public static int Resolve(string? columns, bool outputRedirected, int terminalWidth)
    {
        if (int.TryParse(columns, NumberStyles.None, CultureInfo.InvariantCulture, out var fromEnvironment) && fromEnvironment > 0)
        {
            return fromEnvironment;
        }

        return outputRedirected ? Unbounded : terminalWidth > 0 ? terminalWidth : 80;
    }
}
