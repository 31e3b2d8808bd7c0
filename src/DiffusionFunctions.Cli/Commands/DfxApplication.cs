using Spectre.Console;

namespace DiffusionFunctions.Cli.Commands;

/// <summary>
/// The <c>dfx</c> command dispatcher: <c>generate</c>, <c>contact-sheet</c>, <c>submit</c>, <c>logo upload</c>, <c>model inspect</c>,
/// <c>model create</c>, with <c>--help</c> on each and <c>--version</c>. Exit codes: 0 success (help included), 2 bad input
/// (one line on the error writer), 1 unexpected failure, 130 cancelled.
/// </summary>
public static class DfxApplication
{
    /// <summary>Exit code for bad input.</summary>
    public const int UsageExitCode = 2;

    /// <summary>Exit code for a cancelled run.</summary>
    public const int CancelledExitCode = 130;

    /// <summary>Every command, in help order.</summary>
    public static readonly IReadOnlyList<CommandSpec> Commands =
        [GenerateCommand.Spec, ContactSheetCommand.Spec, SubmitCommand.Spec, LogoUploadCommand.Spec, ModelInspectCommand.Spec, ModelCreateCommand.Spec];

    /// <summary>Runs <paramref name="args"/>; output goes to <paramref name="console"/>, errors and warnings to <paramref name="error"/>.</summary>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            switch (args)
            {
                case [] or ["help" or "--help" or "-h"]:
                    console.WriteLineUnwrapped(HelpWriter.Overview(Commands));
                    return args.Length == 0 ? UsageExitCode : 0;
                case ["--version" or "version"]:
                    console.WriteLineUnwrapped(HelpWriter.Version());
                    return 0;
                case ["help", .. var topic]:
                    return Help(console, string.Join(' ', topic));
                case ["model"] or ["model", "--help" or "-h" or "help"]:
                    console.WriteLineUnwrapped(HelpWriter.Group("model", Commands));
                    return 0;
                case ["logo"] or ["logo", "--help" or "-h" or "help"]:
                    console.WriteLineUnwrapped(HelpWriter.Group("logo", Commands));
                    return 0;
            }

            var (spec, rest) = Find(args);
            if (rest.Any(a => a is "--help" or "-h"))
            {
                console.WriteLineUnwrapped(HelpWriter.Command(spec));
                return 0;
            }

            var line = CommandLine.Parse(rest, spec);
            return spec.Name switch
            {
                "generate" => await new GenerateCommand(console, error).RunAsync(line, cancellationToken).ConfigureAwait(false),
                "contact-sheet" => await new ContactSheetCommand(console, error).RunAsync(line, cancellationToken).ConfigureAwait(false),
                "submit" => await new SubmitCommand(console, error).RunAsync(line, cancellationToken).ConfigureAwait(false),
                "logo upload" => await new LogoUploadCommand(console).RunAsync(line, cancellationToken).ConfigureAwait(false),
                "model inspect" => await new ModelInspectCommand(console, error).RunAsync(line, cancellationToken).ConfigureAwait(false),
                _ => await new ModelCreateCommand(console).RunAsync(line, cancellationToken).ConfigureAwait(false),
            };
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync("dfx: error: " + ex.Message).ConfigureAwait(false);
            return UsageExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("dfx: cancelled").ConfigureAwait(false);
            return CancelledExitCode;
        }
    }

    private static int Help(IAnsiConsole console, string topic)
    {
        if (topic is "model" or "logo")
        {
            console.WriteLineUnwrapped(HelpWriter.Group(topic, Commands));
            return 0;
        }

        var spec = Commands.FirstOrDefault(c => c.Name == topic)
            ?? throw new UsageException($"no help for '{topic}'; commands: {string.Join(", ", Commands.Select(c => c.Name))}.");
        console.WriteLineUnwrapped(HelpWriter.Command(spec));
        return 0;
    }

    private static (CommandSpec Spec, string[] Arguments) Find(string[] args)
    {
        foreach (var spec in Commands)
        {
            var words = spec.Name.Split(' ');
            if (args.Length >= words.Length && words.SequenceEqual(args[..words.Length], StringComparer.Ordinal))
            {
                return (spec, args[words.Length..]);
            }
        }

        if (args[0] == "logo")
        {
            throw new UsageException($"unknown logo subcommand '{args[1]}'; subcommands: upload (see 'dfx logo --help').");
        }

        if (args[0] == "model")
        {
            throw new UsageException($"unknown model subcommand '{args[1]}'; subcommands: inspect, create (see 'dfx model --help').");
        }

        var name = args[0].StartsWith('-') ? args[0] : $"'{args[0]}'";
        throw new UsageException($"unknown command {name}; commands: {string.Join(", ", Commands.Select(c => c.Name))} (see 'dfx --help').");
    }
}
