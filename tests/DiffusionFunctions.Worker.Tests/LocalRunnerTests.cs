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
        var settings = LocalSettings.Create(await GeneratedModelCache.GetTinyAsync());
        foreach (var (key, value) in azurite.CreateNames().ToSettings())
        {
            settings[key] = value;
        }

        settings["DiffusionFunctions:Engine:Provider"] = "Cpu";
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
    public async Task What_no_function_answers_gets_a_problem_as_the_functions_do()
    {
        var settings = LocalSettings.Create(await GeneratedModelCache.GetTinyAsync());
        foreach (var (key, value) in azurite.CreateNames().ToSettings())
        {
            settings[key] = value;
        }

        settings["DiffusionFunctions:Engine:Provider"] = "Cpu";
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var apps = await InProcessFunctionHost.StartAsync(settings, timeout.Token);
        using var http = new HttpClient { BaseAddress = apps.BaseAddress };

        await AssertProblemAsync(await http.GetAsync("api/nothing-here", timeout.Token), 404, "route-not-found");
        await AssertProblemAsync(await http.GetAsync("", timeout.Token), 404, "route-not-found");
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
