using DiffusionFunctions.LocalRunner;
using DiffusionFunctions.ModelGeneration;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker.Tests.Infrastructure;

namespace DiffusionFunctions.Worker.Tests;

/// <summary>
/// The local run's in-process path (used when Core Tools are missing): the API routes served by ASP.NET Core on
/// 127.0.0.1 over the same function classes, the worker driven by the queue listener, and the sample client going from
/// a prompt over HTTP to a PNG on disk. The full command is checked by <c>infra/scripts/check-run-local.sh</c>.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LocalRunnerTests(AzuriteFixture azurite)
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task The_in_process_function_host_takes_a_prompt_over_http_to_a_png_on_disk()
    {
        var settings = await LocalRunTestSettings.CreateAsync(azurite.CreateNames());
        var output = Directory.CreateTempSubdirectory("dfx-local-run-test-");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await using var apps = await InProcessFunctionHost.StartAsync(settings, timeout.Token);
            Assert.Equal("127.0.0.1", apps.BaseAddress.Host);

            var png = await SampleClient.RunAsync(
                apps.BaseAddress, new LocalRunOptions { Steps = 3, OutputDirectory = output.FullName }, output.FullName, timeout.Token);

            Assert.StartsWith(output.FullName, png, StringComparison.Ordinal);
            Assert.Equal(PngSignature, (await File.ReadAllBytesAsync(png))[..8]);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task With_several_models_each_runs_its_own_in_process_worker_and_requests_pick_one_over_http()
    {
        var settings = LocalSettings.Create("unused");
        foreach (var (key, value) in azurite.CreateNames().ToSettings())
        {
            settings[key] = value;
        }

        settings["DiffusionFunctions:Engine:Provider"] = "Cpu";
        LocalModel[] models = [new("shapes", "models/tiny-shapes"), new("tiny", await GeneratedModelCache.GetTinyAsync())];
        LocalSettings.AddModelList(settings, models);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var apps = await InProcessFunctionHost.StartAsync(settings, timeout.Token, models: models);
        using var http = new HttpClient { BaseAddress = apps.BaseAddress };

        Assert.Equal(2, apps.Listeners.Count);
        using var listed = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("api/models", timeout.Token));
        Assert.Equal(["shapes", "tiny"], listed.RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        var tinyJob = await SubmitAsync(http, """{"prompt":"a red circle","model":"tiny","steps":2}""", timeout.Token);
        var defaultJob = await SubmitAsync(http, """{"prompt":"a red circle","steps":2}""", timeout.Token);

        var tiny = await WaitFinishedAsync(http, tinyJob, timeout.Token);
        var shapes = await WaitFinishedAsync(http, defaultJob, timeout.Token);
        Assert.Equal(("succeeded", "tiny"), (tiny.GetProperty("status").GetString(), tiny.GetProperty("model").GetString()));
        Assert.Equal(("succeeded", "shapes"), (shapes.GetProperty("status").GetString(), shapes.GetProperty("model").GetString()));
        using var unknown = await http.PostAsync("api/generations", new StringContent("""{"prompt":"a red circle","model":"sdxl"}""", System.Text.Encoding.UTF8, "application/json"), timeout.Token);
        await AssertProblemAsync(unknown, 400, "validation");
    }

    private static async Task<string> SubmitAsync(HttpClient http, string json, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync("api/generations", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return body.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<System.Text.Json.JsonElement> WaitFinishedAsync(HttpClient http, string id, CancellationToken cancellationToken)
    {
        while (true)
        {
            var job = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"api/generations/{id}", cancellationToken)).RootElement;
            if (job.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled")
            {
                return job;
            }

            await Task.Delay(100, cancellationToken); // poll until the deadline of the token
        }
    }

    [Fact]
    public async Task What_no_function_answers_gets_a_problem_as_the_functions_do()
    {
        var settings = await LocalRunTestSettings.CreateAsync(azurite.CreateNames());
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var apps = await InProcessFunctionHost.StartAsync(settings, timeout.Token);
        using var http = new HttpClient { BaseAddress = apps.BaseAddress };

        await AssertProblemAsync(await http.GetAsync("api/nothing-here", timeout.Token), 404, "route-not-found");
        await AssertProblemAsync(await http.GetAsync("api/", timeout.Token), 404, "route-not-found");
        await AssertProblemAsync(await http.PutAsync("api/generations", new StringContent("{}"), timeout.Token), 405, "method-not-allowed");
        await AssertProblemAsync(await http.GetAsync("api/generations/" + new string('a', 20_000), timeout.Token), 414, "uri-too-long");
        await AssertProblemAsync(await http.GetAsync("api/health?x=" + new string('b', 200_000), timeout.Token), 414, "uri-too-long");
        await AssertProblemAsync(await http.GetAsync("api/generations/not-an-id", timeout.Token), 400, "validation");
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status, string type)
    {
        using (response)
        {
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("https://diffusionfunctions.dev/problems/" + type, json.RootElement.GetProperty("type").GetString());
            Assert.Equal(status, json.RootElement.GetProperty("status").GetInt32());
        }
    }
}
