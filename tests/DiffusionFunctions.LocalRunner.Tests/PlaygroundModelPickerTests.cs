using Microsoft.Playwright;

namespace DiffusionFunctions.LocalRunner.Tests;

/// <summary>
/// The playground against a local serve with several models (<c>--models</c>): it shows a model picker, a choice loads
/// that model's defaults and names it in the request, and the job runs on that model's worker. Both names serve the shipped
/// folder here (what is tested is the routing, not the drawing); a real headless browser, as <see cref="PlaygroundBrowserTests"/>.
/// </summary>
public sealed class PlaygroundModelPickerTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task With_several_models_the_page_picks_one_and_the_job_runs_on_it()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium chromium-driver (.ci/run does this)");
        await using var serve = await ServeProcess.StartAsync("--models", "shapes=models/tiny-shapes,second=models/tiny-shapes");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu"],
        });
        var page = await browser.NewPageAsync();

        await page.GotoAsync(new Uri(serve.Origin, "/playground/").ToString());
        await page.WaitForFunctionAsync("() => document.getElementById('model-name').textContent !== '(asking the API ...)'");
        Assert.Equal("shapes", await page.TextContentAsync("#model-name"));
        Assert.True(await page.IsVisibleAsync("#model-select"));
        Assert.Equal(["shapes", "second"], await page.EvalOnSelectorAllAsync<string[]>("#model-select option", "os => os.map(o => o.value)"));

        await page.SelectOptionAsync("#model-select", "second");
        Assert.Equal("second", await page.TextContentAsync("#model-name"));
        Assert.Contains("\"model\":\"second\"", await page.TextContentAsync("#curl") ?? "", StringComparison.Ordinal);
        await page.FillAsync("#steps", "3");
        await page.ClickAsync("#submit");
        await page.WaitForFunctionAsync("() => ['done', 'error'].includes(document.body.dataset.state)", null,
            new PageWaitForFunctionOptions { Timeout = 180_000 });

        Assert.True(await page.GetAttributeAsync("body", "data-state") == "done", await page.TextContentAsync("#error"));
        var caption = await page.TextContentAsync("#caption") ?? "";
        var jobId = caption.Split(' ', ':')[1];
        using var http = new HttpClient();
        using var job = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"{serve.Api.ToString().TrimEnd('/')}/generations/{jobId}"));
        Assert.Equal("second", job.RootElement.GetProperty("model").GetString());
        Assert.Equal("second", job.RootElement.GetProperty("parameters").GetProperty("model").GetString());
    }
}
