using System.Net.Http.Json;
using System.Text.Json;
using DiffusionFunctions.LocalRunner;
using DiffusionFunctions.ModelGeneration;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker.Tests.Infrastructure;

namespace DiffusionFunctions.Worker.Tests;

/// <summary>The local run's in-process host serves the issue-14 routes over real HTTP: models, the OpenAPI document, the caller's list.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class LocalRunnerApiRoutesTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Models_openapi_and_the_callers_list_are_served_over_http()
    {
        var settings = await LocalRunTestSettings.CreateAsync(azurite.CreateNames());
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var apps = await InProcessFunctionHost.StartAsync(settings, timeout.Token);
        using var http = new HttpClient { BaseAddress = apps.BaseAddress };

        // The API shares the worker's settings here, so it describes the model the worker loaded.
        using (var models = JsonDocument.Parse(await http.GetStringAsync("api/models", timeout.Token)))
        {
            var model = Assert.Single(models.RootElement.GetProperty("models").EnumerateArray().ToList());
            Assert.Equal(Path.GetFileName(settings["DiffusionFunctions:Worker:ModelPath"]!.TrimEnd('/')), model.GetProperty("name").GetString());
            Assert.True(model.GetProperty("defaults").GetProperty("steps").GetInt32() > 0);
        }

        using (var document = await http.GetAsync("api/openapi.yaml", timeout.Token))
        {
            Assert.Equal(200, (int)document.StatusCode);
            Assert.Equal("application/yaml", document.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("openapi: 3.0.3", await document.Content.ReadAsStringAsync(timeout.Token), StringComparison.Ordinal);
        }

        using var submit = new HttpRequestMessage(HttpMethod.Post, "api/generations") { Content = JsonContent.Create(new { prompt = "a star", steps = 2 }) };
        submit.Headers.Add("X-Client-Id", "local-test");
        using var accepted = await http.SendAsync(submit, timeout.Token);
        Assert.Equal(202, (int)accepted.StatusCode);
        var id = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync(timeout.Token)).RootElement.GetProperty("id").GetString();

        using var list = new HttpRequestMessage(HttpMethod.Get, "api/generations?limit=5");
        list.Headers.Add("X-Client-Id", "local-test");
        using var listed = await http.SendAsync(list, timeout.Token);
        Assert.Equal(200, (int)listed.StatusCode);
        using var body = JsonDocument.Parse(await listed.Content.ReadAsStringAsync(timeout.Token));
        Assert.Equal([id], body.RootElement.GetProperty("generations").EnumerateArray().Select(g => g.GetProperty("id").GetString()));
    }
}
