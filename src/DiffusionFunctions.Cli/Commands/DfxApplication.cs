using Spectre.Console;

namespace DiffusionFunctions.Cli.Commands;

/// <summary>
/// The <c>dfx</c> command dispatcher: <c>generate</c>, <c>contact-sheet</c>, <c>model inspect</c>, <c>model create</c>. Exit codes: 0 success,
/// 2 bad input (one line on the error writer), 1 unexpected failure, 130 cancelled.
/// </summary>
public static class DfxApplication
{
    /// <summary>Exit code for bad input.</summary>
    public const int UsageExitCode = 2;

    /// <summary>Exit code for a cancelled run.</summary>
    public const int CancelledExitCode = 130;

    private const string Usage =
        "usage: dfx generate --prompt TEXT [--model DIR] [--negative TEXT] [--steps N] [--scheduler NAME] [--seed N] [--count N] " +
        "[--width N --height N] [--guidance X] [--init IMAGE --strength X] [--mask IMAGE] [--provider auto|cuda|cpu] [--out DIR]\n" +
        "       dfx contact-sheet [--model DIR] [--prompts FILE] [--seed N] [--steps N] [--scheduler NAME] [--guidance X] [--columns N] [--out FILE]\n" +
        "       (without --model: the shipped tiny-shapes model)\n" +
        "       dfx model inspect DIR [--provider auto|cuda|cpu]\n" +
        "       dfx model create --preset tiny|sd15 [--variant fp16,ids64,...] [--seed N] --out DIR";

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
                case ["generate", .. var rest]:
                    return await new GenerateCommand(console, error).RunAsync(CommandLine.Parse(rest, GenerateCommand.Options), cancellationToken).ConfigureAwait(false);
                case ["contact-sheet", .. var rest]:
                    return await new ContactSheetCommand(console).RunAsync(CommandLine.Parse(rest, ContactSheetCommand.Options), cancellationToken).ConfigureAwait(false);
                case ["model", "inspect", .. var rest]:
                    return await new ModelInspectCommand(console, error).RunAsync(CommandLine.Parse(rest, ModelInspectCommand.Options), cancellationToken).ConfigureAwait(false);
                case ["model", "create", .. var rest]:
                    return await new ModelCreateCommand(console).RunAsync(CommandLine.Parse(rest, ModelCreateCommand.Options), cancellationToken).ConfigureAwait(false);
                case [] or ["help" or "--help" or "-h"]:
                    console.WriteLine(Usage);
                    return args.Length == 0 ? UsageExitCode : 0;
                default:
                    throw new UsageException($"unknown command '{string.Join(' ', args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).Take(2))}'; run 'dfx help'.");
            }
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
}
