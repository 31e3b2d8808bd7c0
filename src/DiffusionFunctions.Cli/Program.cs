using DiffusionFunctions.Cli.Commands;
using Spectre.Console;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var redirected = Console.IsOutputRedirected;
var console = AnsiConsole.Create(new AnsiConsoleSettings
{
    Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
    ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
    Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
    Out = new AnsiConsoleOutput(Console.Out),
});
console.Profile.Width = ConsoleWidth.Resolve(Environment.GetEnvironmentVariable("COLUMNS"), redirected, redirected ? 0 : SafeWindowWidth());

return await DfxApplication.RunAsync(args, console, Console.Error, cancellation.Token);

static int SafeWindowWidth()
{
    try
    {
        return Console.WindowWidth;
    }
    catch (IOException)
    {
        return 0;
    }
}
