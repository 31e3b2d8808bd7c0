using System.Text.Json;
using DiffusionFunctions.Cli.Commands;
using DiffusionFunctions.LocalRunner;
using DiffusionFunctions.ModelGeneration;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker.Tests.Infrastructure;
using Spectre.Console;

namespace DiffusionFunctions.Worker.Tests;

/// <summary>
/// <c>dfx submit</c> against the in-process function host (the API and the worker over Azurite): the job is posted,
/// followed to the end and its PNG downloaded under dfx's naming; an API refusal is printed in the API's words.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DfxSubmitTests(AzuriteFixture azurite)
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task Dfx_submit_posts_a_prompt_follows_the_job_and_downloads_the_png()
    {
        var settings = await LocalRunTestSettings.CreateAsync(azurite.CreateNames());
        var output = Directory.CreateTempSubdirectory("dfx-submit-test-");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await using var apps = await InProcessFunctionHost.StartAsync(settings, timeout.Token);
            var api = new Uri(apps.BaseAddress, "api").ToString();

            var (exitCode, text, error) = await RunDfxAsync(timeout.Token,
                "submit", "--api", api, "--key", "local", "--prompt", "a red circle on a white background", "--steps", "2", "--seed", "5",
                "--width", "64", "--height", "64", "--out", output.FullName, "--json");

            Assert.True(exitCode == 0, error);
            using var json = JsonDocument.Parse(text);
            Assert.Equal(("succeeded", 5L), (json.RootElement.GetProperty("status").GetString(), json.RootElement.GetProperty("seed").GetInt64()));
            var path = Assert.Single(json.RootElement.GetProperty("images").EnumerateArray()).GetString();
            Assert.Equal(Path.Combine(output.FullName, "a-red-circle-on-a-white-background-5.png"), path);
            Assert.Equal(PngSignature, (await File.ReadAllBytesAsync(path!))[..8]);

            // The same again as text into a non-terminal: progress lines, then a second file beside the first.
            (exitCode, text, error) = await RunDfxAsync(timeout.Token,
                "submit", "--api", api, "--prompt", "a red circle on a white background", "--steps", "2", "--seed", "5", "--out", output.FullName);
            Assert.True(exitCode == 0, error);
            var lines = text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
            Assert.Matches(@"^job \S+ submitted to http://127\.0\.0\.1:\d+/api/$", lines[0]);
            Assert.Contains(lines, l => l.StartsWith("job ", StringComparison.Ordinal) && l.EndsWith(": succeeded", StringComparison.Ordinal));
            Assert.Contains(Path.Combine(output.FullName, "a-red-circle-on-a-white-background-5-2.png"), lines);
            Assert.StartsWith("seed: 5  scheduler: ", lines[^1], StringComparison.Ordinal);

            (exitCode, _, error) = await RunDfxAsync(timeout.Token, "submit", "--api", api, "--prompt", "a red circle", "--width", "2048");
            Assert.Equal(2, exitCode);
            Assert.StartsWith("dfx: error: the API answered 400 Bad Request: ", error, StringComparison.Ordinal);
            Assert.Contains("width", error, StringComparison.Ordinal);

            // --model is sent as the request's model: a name the deployment does not serve is the API's 400, in its words.
            (exitCode, _, error) = await RunDfxAsync(timeout.Token, "submit", "--api", api, "--prompt", "a red circle", "--model", "sdxl");
            Assert.Equal(2, exitCode);
            Assert.Contains("model 'sdxl' is unknown", error, StringComparison.Ordinal);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Dfx_submit_to_an_api_that_is_not_running_says_so_in_one_line()
    {
        var (exitCode, _, error) = await RunDfxAsync(CancellationToken.None, "submit", "--api", "http://127.0.0.1:9/api", "--prompt", "a cat");

        Assert.Equal(2, exitCode);
        Assert.StartsWith("dfx: error: could not reach the API at http://127.0.0.1:9/api/: ", error, StringComparison.Ordinal);
        Assert.Single(error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunDfxAsync(CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        var exitCode = await DfxApplication.RunAsync(args, console, error, cancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }
}
