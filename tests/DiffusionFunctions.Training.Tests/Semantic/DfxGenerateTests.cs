using DiffusionFunctions.Cli.Commands;
using DiffusionFunctions.Diffusion.Imaging;
using DiffusionFunctions.Training.Shapes;
using DiffusionFunctions.Training.Tests.Analysis;
using Spectre.Console;
using Xunit.Abstractions;

namespace DiffusionFunctions.Training.Tests.Semantic;

/// <summary>
/// The user check: <c>dfx generate --prompt "a yellow star on a blue background"</c> with no <c>--model</c> uses
/// the shipped model and writes PNGs that read as a yellow star on a blue background.
/// </summary>
[Collection(TinyShapesCollection.Name)]
public sealed class DfxGenerateTests(ITestOutputHelper output)
{
    [TinyShapesModelFact]
    public async Task Dfx_generate_without_a_model_draws_what_the_prompt_says()
    {
        var folder = Path.Combine(Path.GetTempPath(), "dfx-semantic-" + Guid.NewGuid().ToString("N"));
        try
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                Interactive = InteractionSupport.No,
                Out = new AnsiConsoleOutput(TextWriter.Null),
            });
            using var error = new StringWriter();
            var exitCode = await DfxApplication.RunAsync(
                ["generate", "--prompt", "a yellow star on a blue background", "--seed", "1", "--count", "4", "--provider", "cpu", "--out", folder],
                console,
                error,
                CancellationToken.None);

            Assert.True(exitCode == 0, error.ToString());
            var asked = new ShapeScene(ShapeKind.Star, NamedColour.FromName("yellow"), NamedColour.FromName("blue"));
            var tally = new AccuracyTally("dfx generate, no --model");
            foreach (var file in Directory.GetFiles(folder, "*.png").Order(StringComparer.Ordinal))
            {
                var image = UserImageDecoder.Decode(await File.ReadAllBytesAsync(file));
                var seen = tally.Add(asked, image.Pixels);
                output.WriteLine($"{Path.GetFileName(file)}: {seen}");
            }

            Assert.Equal(4, tally.Images);
            Assert.True(tally.AllThree == tally.Images, string.Join("; ", tally.Misses));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
