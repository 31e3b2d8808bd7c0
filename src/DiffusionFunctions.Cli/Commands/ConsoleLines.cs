using Spectre.Console;

namespace DiffusionFunctions.Cli.Commands;

/// <summary>
/// Writes whole lines straight to the console's output writer, past Spectre's renderer, so a path or tensor name is never
/// wrapped or split whatever the console width: these lines are data that scripts and logs read.
/// </summary>
internal static class ConsoleLines
{
    public static void WriteLineUnwrapped(this IAnsiConsole console, string text) => console.Profile.Out.Writer.WriteLine(text);
}
