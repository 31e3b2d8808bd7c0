using System.Text;
using System.Text.Json;
using Azure.Messaging;
using Azure.Storage.Blobs;
using DiffusionFunctions.Api.Batches;
using DiffusionFunctions.Api.Functions;
using DiffusionFunctions.Core.Workflows;
using DiffusionFunctions.Core.Workflows.Batches;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker.Events;
using DiffusionFunctions.Worker.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Tests.Workflows;

/// <summary>What the batch tests share: the shipped tiny-shapes model, the API's batch functions, polling the run, reading the manifest and the events queue.</summary>
internal static class BatchTestKit
{
    public static readonly string ShippedModelPath = Path.Combine(RepositoryPaths.Root, "models", "tiny-shapes");

    private static readonly string[] Colours = ["red", "blue", "green", "yellow", "purple"];
    private static readonly string[] Shapes = ["circle", "square", "triangle", "star", "heart"];

    /// <summary>A worker host on the shipped model with the given extra settings.</summary>
    public static Task<WorkerTestHost> StartAsync(
        AzuriteFixture azurite, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null, AzuriteTestNames? sharedNames = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["DiffusionFunctions:Worker:ModelPath"] = ShippedModelPath,
            ["DiffusionFunctions:Generation:AllowInsecureCallbacks"] = "true",
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        return WorkerTestHost.StartAsync(azurite, values, configure, sharedNames: sharedNames);
    }

    /// <summary>Item <paramref name="i"/>: a tiny-shapes prompt, 64x64, 2 steps, its own labels.</summary>
    public static string Item(int i, string? prompt = null)
        => JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["prompt"] = prompt ?? $"a {Colours[i % Colours.Length]} {Shapes[i / Colours.Length % Shapes.Length]} on a white background",
            ["width"] = 64,
            ["height"] = 64,
            ["steps"] = 2,
            ["seed"] = 1000 + i,
            ["labels"] = new Dictionary<string, object> { ["sku"] = $"SKU-{i:D4}", ["n"] = i, ["tags"] = new[] { "catalog", i % 2 == 0 ? "even" : "odd" } },
        });

    public static string Labels(int i) => JsonSerializer.Serialize(JsonDocument.Parse(Item(i)).RootElement.GetProperty("labels"));

    public static async Task<IActionResult> SubmitAsync(WorkerTestHost host, string body)
        => await host.CreateApi<SubmitBatchFunction>().SubmitBatch(HttpRequestBuilder.Post("/api/batches").WithJson(body).Build(), CancellationToken.None);

    public static async Task<BatchResource> GetAsync(WorkerTestHost host, string id)
    {
        var result = await host.CreateApi<GetBatchFunction>().GetBatch(HttpRequestBuilder.Get("/api/batches/" + id).Build(), id, CancellationToken.None);
        return Assert.IsType<BatchResource>(Assert.IsType<OkObjectResult>(result).Value);
    }

    /// <summary>Polls the run's state until it is final, or fails at the deadline.</summary>
    public static async Task<WorkflowRunState> WaitForFinalAsync(WorkerTestHost host, string runId, TimeSpan timeout)
    {
        var runs = host.Services.GetRequiredService<WorkflowRunStore>();
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var state = await runs.GetStateAsync(runId, CancellationToken.None);
            if (state is { Status: not WorkflowRunStatus.Running, CompletionPublished: true })
            {
                return state;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"Run {runId} did not finish within {timeout}; last state: {JsonSerializer.Serialize(state)}");
            await Task.Delay(100);
        }
    }

    /// <summary>The listener over the worker's functions (generation queue and the batch upload queue), running until disposed.</summary>
    public static ListenerRun RunListener(WorkerTestHost host) => new(host.CreateListener(TimeSpan.FromMilliseconds(200)));

    /// <summary>The manifest's lines.</summary>
    public static async Task<List<JsonElement>> ReadManifestAsync(WorkerTestHost host, WorkflowRunState state)
    {
        var text = (await host.ResultsContainer.GetBlobClient(state.ManifestBlob!).DownloadContentAsync()).Value.Content.ToString();
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    public static async Task<JsonElement> ReadSummaryAsync(WorkerTestHost host, WorkflowRunState state)
        => JsonDocument.Parse((await host.ResultsContainer.GetBlobClient(state.SummaryBlob!).DownloadContentAsync()).Value.Content.ToString()).RootElement.Clone();

    /// <summary>Every event in the events queue (received and deleted), parsed.</summary>
    public static async Task<List<CloudEvent>> DrainEventsAsync(WorkerTestHost host)
    {
        var events = new List<CloudEvent>();
        while (true)
        {
            var messages = (await host.EventsQueue.ReceiveMessagesAsync(maxMessages: 32)).Value;
            if (messages.Length == 0)
            {
                return events;
            }

            foreach (var message in messages)
            {
                events.Add(GenerationCloudEvents.Parse(message.Body));
                await host.EventsQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }
    }

    /// <summary>Job records in the jobs container (top-level <c>{id}.json</c> blobs).</summary>
    public static async Task<int> CountJobRecordsAsync(WorkerTestHost host)
    {
        var count = 0;
        await foreach (var blob in host.Azurite.BlobService.GetBlobContainerClient(host.Names.JobsContainer).GetBlobsAsync())
        {
            if (!blob.Name.Contains('/', StringComparison.Ordinal) && blob.Name.EndsWith(".json", StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }

    public static BatchOptions Batches(WorkerTestHost host) => host.Services.GetRequiredService<IOptions<BatchOptions>>().Value;

    public static BlobContainerClient RequestsContainer(WorkerTestHost host) => host.Azurite.BlobService.GetBlobContainerClient(Batches(host).RequestsContainer);

    public static string Jsonl(IEnumerable<string> lines) => string.Join('\n', lines) + "\n";

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A running <see cref="Hosting.InProcessQueueListener"/>, stopped on dispose.</summary>
    internal sealed class ListenerRun : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _run;

        public ListenerRun(Hosting.InProcessQueueListener listener) => _run = Task.Run(() => listener.RunAsync(_stop.Token));

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _run;
            _stop.Dispose();
        }
    }
}
