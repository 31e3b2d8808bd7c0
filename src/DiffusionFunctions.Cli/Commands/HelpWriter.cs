using System.Reflection;
using System.Text;

namespace DiffusionFunctions.Cli.Commands;

/// <summary>
/// Writes dfx's help texts: the command list (<c>dfx --help</c>), a group's subcommands (<c>dfx model</c>) and one
/// command's options with their descriptions and defaults (<c>dfx generate --help</c>). Lines are never wrapped, so the text
/// reads the same in a terminal, a pipe and a CI log.
/// </summary>
public static class HelpWriter
{
    /// <summary>The top-level help.</summary>
    public static string Overview(IReadOnlyList<CommandSpec> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var text = new StringBuilder();
        text.AppendLine("dfx — Stable Diffusion on ONNX Runtime, in-process, and a client for a running DiffusionFunctions API.");
        text.AppendLine();
        text.AppendLine("usage: dfx COMMAND [options]");
        text.AppendLine();
        text.AppendLine("commands:");
        AppendCommandList(text, commands);
        text.AppendLine();
        text.AppendLine("Run 'dfx COMMAND --help' for a command's options and defaults. 'dfx --version' prints the version.");
        text.Append("Without --model, commands use the shipped tiny-shapes model (64x64, simple coloured shapes).");
        return text.ToString();
    }

    /// <summary>The help of a command group (<c>dfx model</c>): its subcommands.</summary>
    public static string Group(string group, IReadOnlyList<CommandSpec> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var text = new StringBuilder();
        text.AppendLine($"usage: dfx {group} SUBCOMMAND [options]");
        text.AppendLine();
        text.AppendLine("subcommands:");
        AppendCommandList(text, commands.Where(c => c.Name.StartsWith(group + " ", StringComparison.Ordinal)).ToList());
        text.AppendLine();
        text.Append($"Run 'dfx {group} SUBCOMMAND --help' for its options.");
        return text.ToString();
    }

    /// <summary>One command's help: usage, summary, every option with its description and default, then the notes.</summary>
    public static string Command(CommandSpec command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var text = new StringBuilder();
        text.AppendLine("usage: " + command.Usage);
        text.AppendLine();
        text.AppendLine(command.Summary);
        text.AppendLine();
        text.AppendLine("options:");
        var labels = command.Options.Select(o => o.IsFlag ? $"--{o.Name}" : $"--{o.Name} {o.ValueName}").ToList();
        labels.Add("--help");
        var width = labels.Max(l => l.Length) + 2;
        for (var i = 0; i < command.Options.Count; i++)
        {
            var option = command.Options[i];
            var line = $"  {labels[i].PadRight(width)}{option.Description}";
            text.AppendLine(option.Default is null ? line : $"{line} (default: {option.Default})");
        }

        text.AppendLine($"  {"--help".PadRight(width)}print this help and exit");
        foreach (var note in command.Notes)
        {
            text.AppendLine();
            text.Append(note).AppendLine();
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>The version line: <c>dfx 1.2.3</c> (the assembly's informational version without the source hash).</summary>
    public static string Version()
    {
        var version = typeof(HelpWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(HelpWriter).Assembly.GetName().Version?.ToString()
            ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return "dfx " + (plus > 0 ? version[..plus] : version);
    }

    private static void AppendCommandList(StringBuilder text, IReadOnlyList<CommandSpec> commands)
    {
        var width = commands.Max(c => c.Name.Length) + 2;
        foreach (var command in commands)
        {
            text.AppendLine($"  {command.Name.PadRight(width)}{command.Summary}");
        }
    }
}
