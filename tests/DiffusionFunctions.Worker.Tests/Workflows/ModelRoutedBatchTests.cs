using System.Text.Json;
using DiffusionFunctions.Api.Batches;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Problems;
using DiffusionFunctions.Core.Workflows;
using DiffusionFunctions.ModelGeneration;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker.Tests.Infrastructure;
using DiffusionFunctions.Worker.Hosting;
using Microsoft.AspNetCore.Mvc;
using static DiffusionFunctions.Worker.Tests.Workflows.BatchTestKit;

namespace DiffusionFunctions.Worker.Tests.Workflows;

/// <summary>
/// Batches in a deployment of two models, each with its own worker on its own queue: <c>shapes</c> (the shipped
/// tiny-shapes model, the default) and <c>tiny</c> (a generated folder, at most 4 steps). Batch items go through the same
/// model selection as single submits, a refused model or rule is reported item by item, and the feeder releases each item
/// to its model's queue, at start and at every fan-in, whichever worker finishes the item before. A job on the wrong
/// queue would fail (<c>wrong-model</c>), so a completed run proves the routing.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ModelRoutedBatchTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_batch_naming_a_second_model_lands_its_items_on_that_models_queue_and_refuses_unknown_models_item_by_item()
    {
        await using var deployment = await TwoModelDeployment.StartAsync(azurite);
        var items = new[]
        {
            TinyItem(0),
            TinyItem(1),
            """{"prompt":"a red circle","model":"sdxl","width":64,"height":64}""",
            """{"prompt":"a red circle","model":"tiny","width":64,"height":64,"steps":8}""",
            Item(4),
            TinyItem(5),
        };

        var accepted = Assert.IsType<AcceptedResult>(await SubmitAsync(deployment.Shapes, $$"""{"items":[{{string.Join(",", items)}}]}"""));
        var batch = Assert.IsType<BatchResource>(accepted.Value);

        // Refusals, item by item: the unknown model names the served ones; the tiny model's own steps range.
        Assert.Equal([2, 3], batch.Refused.Select(r => r.Item));
        var unknown = batch.Refused[0].Problem;
        Assert.Equal((ProblemTypeUris.Validation, 400), (unknown.Type, unknown.Status));
        Assert.Contains("'sdxl' is unknown; this deployment serves: shapes, tiny.", unknown.Errors!["model"][0], StringComparison.Ordinal);
        Assert.Equal("steps must be between 1 and 4, got 8.", batch.Refused[1].Problem.Errors!["steps"][0]);
        Assert.Equal(4, batch.Counts.Total - batch.Counts.Refused);

        // MaxInFlightPerRun 1: the start released item 0 alone, to tiny's queue, not the default's.
        var first = Assert.Single(await deployment.PeekAsync(deployment.TinyQueue));
        Assert.Contains(WorkflowIds.JobIdFor(batch.Id, 0), first, StringComparison.Ordinal);
        Assert.Empty(await deployment.PeekAsync(deployment.ShapesQueue));

        // Both workers run; each later item is released by the fan-in of whichever worker finished the one before.
        WorkflowRunState state;
        await using (RunListener(deployment.Shapes))
        await using (RunListener(deployment.Tiny))
        {
            state = await WaitForFinalAsync(deployment.Shapes, batch.Id, TimeSpan.FromMinutes(2));
        }

        Assert.Equal(WorkflowRunStatus.Completed, state.Status);
        foreach (var (index, model) in new[] { (0, "tiny"), (1, "tiny"), (4, "shapes"), (5, "tiny") })
        {
            var job = (await deployment.Shapes.Jobs.GetAsync(WorkflowIds.JobIdFor(batch.Id, index)))!;
            Assert.Equal((JobStatus.Succeeded, model), (job.Status, job.Parameters.Model));
        }

        Assert.Equal([0, 1, 4, 5], (await ReadManifestAsync(deployment.Shapes, state)).Select(l => l.GetProperty("item").GetInt32()));
    }

    [Fact]
    public async Task A_jsonl_upload_started_by_the_default_models_worker_routes_its_items_to_their_models()
    {
        await using var deployment = await TwoModelDeployment.StartAsync(azurite);
        var requests = RequestsContainer(deployment.Shapes);
        var upload = await requests.GetBlobClient("mixed-models.jsonl").UploadAsync(BinaryData.FromBytes(Utf8(Jsonl(
            [TinyItem(0), """{"prompt":"a red circle","model":"nope"}""", Item(2), TinyItem(3)]))));
        var runId = WorkflowIds.RunIdForUpload("batch", requests.Name, "mixed-models.jsonl", upload.Value.ETag.ToString());
        Assert.Equal(1, await deployment.Shapes.Create<BlobUploadWatcher>().ScanOnceAsync(CancellationToken.None));

        WorkflowRunState state;
        await using (RunListener(deployment.Shapes))
        await using (RunListener(deployment.Tiny))
        {
            state = await WaitForFinalAsync(deployment.Shapes, runId, TimeSpan.FromMinutes(2));
        }

        Assert.Equal(WorkflowRunStatus.Completed, state.Status);
        var answer = JsonDocument.Parse((await requests.GetBlobClient("mixed-models.jsonl.accepted.json").DownloadContentAsync()).Value.Content.ToString()).RootElement;
        var refusal = Assert.Single(answer.GetProperty("refused").EnumerateArray());
        Assert.Equal(1, refusal.GetProperty("item").GetInt32());
        Assert.Contains("'nope' is unknown; this deployment serves: shapes, tiny.",
            refusal.GetProperty("problem").GetProperty("errors").GetProperty("model")[0].GetString(), StringComparison.Ordinal);
        foreach (var (index, model) in new[] { (0, "tiny"), (2, "shapes"), (3, "tiny") })
        {
            var job = (await deployment.Shapes.Jobs.GetAsync(WorkflowIds.JobIdFor(runId, index)))!;
            Assert.Equal((JobStatus.Succeeded, model), (job.Status, job.Parameters.Model));
        }
    }

    private static string TinyItem(int i)
    {
        var item = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Item(i))!;
        item["model"] = JsonSerializer.SerializeToElement("tiny");
        return JsonSerializer.Serialize(item);
    }

    /// <summary>Two worker hosts on one set of storage names (one deployment), the API inside the default model's.</summary>
    private sealed class TwoModelDeployment : IAsyncDisposable
    {
        private readonly AzuriteFixture _azurite;

        private TwoModelDeployment(AzuriteFixture azurite, WorkerTestHost shapes, WorkerTestHost tiny, string shapesQueue, string tinyQueue)
        {
            _azurite = azurite;
            Shapes = shapes;
            Tiny = tiny;
            ShapesQueue = shapesQueue;
            TinyQueue = tinyQueue;
        }

        public WorkerTestHost Shapes { get; }

        public WorkerTestHost Tiny { get; }

        public string ShapesQueue { get; }

        public string TinyQueue { get; }

        public static async Task<TwoModelDeployment> StartAsync(AzuriteFixture azurite)
        {
            var names = azurite.CreateNames();
            var tinyFolder = await GeneratedModelCache.GetTinyAsync();
            var shapesQueue = names.GenerationQueue;
            var tinyQueue = names.GenerationQueue + "-tiny";
            var deployment = new Dictionary<string, string?>
            {
                ["DiffusionFunctions:DefaultModel"] = "shapes",
                ["DiffusionFunctions:Models:shapes:Path"] = ShippedModelPath,
                ["DiffusionFunctions:Models:shapes:Queue"] = shapesQueue,
                ["DiffusionFunctions:Models:tiny:Path"] = tinyFolder,
                ["DiffusionFunctions:Models:tiny:Queue"] = tinyQueue,
                ["DiffusionFunctions:Models:tiny:MaxSteps"] = "4",
                ["DiffusionFunctions:Workflows:MaxInFlightPerRun"] = "1",
            };
            var shapes = await BatchTestKit.StartAsync(azurite, new(deployment)
            {
                ["DiffusionFunctions:Worker:ModelName"] = "shapes",
                ["DiffusionFunctions:Storage:GenerationQueue"] = shapesQueue,
            }, sharedNames: names);
            var tiny = await BatchTestKit.StartAsync(azurite, new(deployment)
            {
                ["DiffusionFunctions:Worker:ModelName"] = "tiny",
                ["DiffusionFunctions:Worker:ModelPath"] = tinyFolder,
                ["DiffusionFunctions:Storage:GenerationQueue"] = tinyQueue,
            }, sharedNames: names);
            return new TwoModelDeployment(azurite, shapes, tiny, shapesQueue, tinyQueue);
        }

        public async Task<List<string>> PeekAsync(string queue)
            => [.. (await _azurite.QueueService.GetQueueClient(queue).PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString())];

        public async ValueTask DisposeAsync()
        {
            await Tiny.DisposeAsync();
            await Shapes.DisposeAsync();
        }
    }
}
