using System.Buffers.Binary;
using System.Diagnostics;
using DiffusionFunctions.TestSupport;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DiffusionFunctions.LocalRunner.Tests;

/// <summary>
/// The playground in a real headless browser (Debian's <c>/usr/bin/chromium</c> driven by Playwright; <c>.ci/run</c>
/// installs it when missing) against the local serve: type a prompt, submit, wait for the image, check it is a 64x64 PNG
/// (the shipped model's size), run the curl line the page shows, and keep a screenshot
/// (<c>artifacts/ci/playground.png</c>) as a CI artefact.
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class PlaygroundBrowserTests(ServeFixture fixture, ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Prompt = "a blue circle on a yellow background";

    public static string ScreenshotPath => Path.Combine(RepositoryPaths.Root, "artifacts", "ci", "playground.png");

    [Fact]
    public async Task Typing_a_prompt_and_submitting_shows_a_64x64_png_and_its_curl_equivalent()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium chromium-driver (.ci/run does this)");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 900 } });
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add(message.Text);
            }
        };

        await page.GotoAsync(new Uri(fixture.Serve.Origin, "/").ToString()); // "/" redirects to the playground
        Assert.EndsWith("/playground/", page.Url, StringComparison.Ordinal);
        await page.WaitForFunctionAsync("() => document.getElementById('model-name').textContent !== '(asking the API ...)'");
        Assert.Equal(fixture.Serve.Api.ToString(), await page.InputValueAsync("#api"));
        Assert.Equal("tiny-shapes", await page.TextContentAsync("#model-name")); // from GET /api/models
        Assert.Equal("64", await page.InputValueAsync("#width")); // the model's defaults, pre-filled
        Assert.Equal("2.5", await page.InputValueAsync("#guidance"));

        await page.FillAsync("#prompt", Prompt);
        await page.FillAsync("#seed", "7");
        await page.ClickAsync("#submit");
        await page.WaitForFunctionAsync("() => ['done', 'error'].includes(document.body.dataset.state)", null,
            new PageWaitForFunctionOptions { Timeout = 180_000 });
        var error = await page.TextContentAsync("#error");
        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath, FullPage = true });
        output.WriteLine($"playground screenshot: {ScreenshotPath}");
        Console.WriteLine($"playground screenshot: {ScreenshotPath}");
        Assert.True(await page.GetAttributeAsync("body", "data-state") == "done", $"the page ended in an error: {error}; console: {string.Join(" | ", consoleErrors)}");

        // The image: what the page shows is a PNG of the model's size.
        Assert.Equal(64, await page.EvalOnSelectorAsync<int>("#image", "i => i.naturalWidth"));
        Assert.Equal(64, await page.EvalOnSelectorAsync<int>("#image", "i => i.naturalHeight"));
        var src = await page.GetAttributeAsync("#image", "src");
        using var http = new HttpClient();
        var png = await http.GetByteArrayAsync(src);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(64, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(64, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));

        // Step progress reached the end; the curl equivalent names the prompt and works as shown.
        var stepsDone = await page.TextContentAsync("#steps-done") ?? "";
        Assert.Matches(@"^step (\d+) of \1$", stepsDone);
        var curl = await page.TextContentAsync("#curl") ?? "";
        Assert.Contains(Prompt, curl, StringComparison.Ordinal);
        Assert.Contains("\"seed\":7", curl, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"queued\"", await RunBashAsync(curl), StringComparison.Ordinal);
    }

    private static async Task<string> RunBashAsync(string command)
    {
        using var bash = Process.Start(new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var text = await bash.StandardOutput.ReadToEndAsync();
        var errors = await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        Assert.True(bash.ExitCode == 0, $"the page's curl line failed ({bash.ExitCode}): {errors}\n{command}");
        return text;
    }
}
