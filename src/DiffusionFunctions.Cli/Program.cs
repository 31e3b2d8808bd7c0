using DiffusionFunctions.Cli.Commands;
using Spectre.Console;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

return await DfxApplication.RunAsync(args, AnsiConsole.Console, Console.Error, cancellation.Token);
