using System.Net.Http.Json;
using System.Text.Json;
using DiffusionFunctions.LocalRunner;
using DiffusionFunctions.ModelGeneration;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker.Tests.Infrastructure;

namespace DiffusionFunctions.Worker.Tests;

/// <summary>
/// The local run's in-process host serves batches over real HTTP (POST, GET, 404 for an unknown id) and starts a batch
/// from a JSONL upload to the batch requests container, with no Event Grid: its upload watcher enqueues the BlobCreated event.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LocalRunnerBatchTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Batches_are_served_over_http_and_a_jsonl_upload_starts_one()
    {
        var names = azurite.CreateNames();
        var settings = await LocalRunTestSettings.CreateAsync(names);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var apps = await InProcessFunctionHost.StartAsync(settings, timeout.Token);
        using var http = new HttpClient { BaseAddress = apps.BaseAddress };

        var items = Enumerable.Range(0, 3).Select(i => new { prompt = $"a red star {i}", width = 64, height = 64, steps = 2, labels = new { n = i } }).ToArray();
        using var accepted = await http.PostAsJsonAsync("api/batches", new { items }, timeout.Token);
        Assert.Equal(202, (int)accepted.StatusCode);
        var id = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync(timeout.Token)).RootElement.GetProperty("id").GetString()!;
        Assert.Equal(new Uri(apps.BaseAddress, "api/batches/" + id), accepted.Headers.Location);
        var finished = await WaitForStatusAsync(http, id, timeout.Token);
        Assert.Equal("completed", finished.GetProperty("status").GetString());
        var manifest = await http.GetStringAsync(new Uri(finished.GetProperty("manifestUrl").GetString()!), timeout.Token);
        Assert.Equal(3, manifest.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        using var missing = await http.GetAsync("api/batches/" + new string('0', 32), timeout.Token);
        Assert.Equal(404, (int)missing.StatusCode);

        var requests = azurite.BlobService.GetBlobContainerClient(names.BatchRequestsContainer);
        await requests.UploadBlobAsync("upload.jsonl", BinaryData.FromString("{\"prompt\":\"a blue circle\",\"width\":64,\"height\":64,\"steps\":2,\"labels\":{\"k\":1}}\n"), timeout.Token);
        var answer = requests.GetBlobClient("upload.jsonl.accepted.json");
        while (!await answer.ExistsAsync(timeout.Token))
        {
            await Task.Delay(100, timeout.Token);
        }

        var uploadId = JsonDocument.Parse((await answer.DownloadContentAsync(timeout.Token)).Value.Content.ToString()).RootElement.GetProperty("runId").GetString()!;
        Assert.Equal("completed", (await WaitForStatusAsync(http, uploadId, timeout.Token)).GetProperty("status").GetString());
    }

    private static async Task<JsonElement> WaitForStatusAsync(HttpClient http, string id, CancellationToken cancellationToken)
    {
        while (true)
        {
            var batch = JsonDocument.Parse(await http.GetStringAsync("api/batches/" + id, cancellationToken)).RootElement;
            if (batch.GetProperty("status").GetString() != "running")
            {
                return batch.Clone();
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
