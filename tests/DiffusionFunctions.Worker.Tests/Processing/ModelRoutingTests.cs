using DiffusionFunctions.Api.Functions;
using DiffusionFunctions.Api.Resources;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.ModelGeneration;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker.Functions;
using DiffusionFunctions.Worker.Processing;
using DiffusionFunctions.Worker.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace DiffusionFunctions.Worker.Tests.Processing;

/// <summary>
/// One deployment serving two models, each with its own worker app on its own queue: <c>shapes</c> (the shipped
/// tiny-shapes model, the default) and <c>tiny</c> (a folder written by ModelGeneration). The API routes each job to its
/// model's queue, each worker draws only its own model's jobs, and a job that reaches the wrong worker is failed clearly.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ModelRoutingTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Each_models_worker_draws_the_jobs_routed_to_it_and_refuses_another_models_job()
    {
        var names = azurite.CreateNames();
        var tinyFolder = await GeneratedModelCache.GetTinyAsync();
        var shapesQueue = names.GenerationQueue;
        var tinyQueue = names.GenerationQueue + "-tiny";
        var deployment = new Dictionary<string, string?>
        {
            ["DiffusionFunctions:DefaultModel"] = "shapes",
            ["DiffusionFunctions:Models:shapes:Path"] = "models/tiny-shapes",
            ["DiffusionFunctions:Models:shapes:Queue"] = shapesQueue,
            ["DiffusionFunctions:Models:tiny:Path"] = tinyFolder,
            ["DiffusionFunctions:Models:tiny:Queue"] = tinyQueue,
        };
        await using var shapesWorker = await WorkerTestHost.StartAsync(azurite, new(deployment)
        {
            ["DiffusionFunctions:Worker:ModelName"] = "shapes",
            ["DiffusionFunctions:Worker:ModelPath"] = "models/tiny-shapes",
            ["DiffusionFunctions:Storage:GenerationQueue"] = shapesQueue,
        }, sharedNames: names);
        await using var tinyWorker = await WorkerTestHost.StartAsync(azurite, new(deployment)
        {
            ["DiffusionFunctions:Worker:ModelName"] = "tiny",
            ["DiffusionFunctions:Worker:ModelPath"] = tinyFolder,
            ["DiffusionFunctions:Storage:GenerationQueue"] = tinyQueue,
        }, sharedNames: names);
        var shapesQueueClient = azurite.QueueService.GetQueueClient(shapesQueue);
        var tinyQueueClient = azurite.QueueService.GetQueueClient(tinyQueue);

        // A job without a model goes to the default model's queue, a job naming "tiny" to tiny's.
        var defaultJob = await SubmitAsync(shapesWorker, """{"prompt":"a red circle","steps":3,"seed":7}""");
        var tinyJob = await SubmitAsync(shapesWorker, """{"prompt":"a red circle","model":"tiny","width":64,"height":64,"steps":3,"seed":7}""");
        var onShapes = await WorkerTestHost.ReceiveAsync(shapesQueueClient, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10));
        var onTiny = await WorkerTestHost.ReceiveAsync(tinyQueueClient, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10));
        Assert.Contains(defaultJob, onShapes.MessageText, StringComparison.Ordinal);
        Assert.Contains(tinyJob, onTiny.MessageText, StringComparison.Ordinal);

        // The tiny job reaching the shapes worker (a worker app given the wrong queue): failed, nothing drawn.
        var misrouted = await shapesWorker.Create<ProcessGenerationFunction>().ProcessGeneration(onTiny, CancellationToken.None);
        Assert.Equal(JobProcessingOutcome.Failed, misrouted);
        var refused = (await shapesWorker.Jobs.GetAsync(tinyJob))!;
        Assert.Equal(JobStatus.Failed, refused.Status);
        Assert.Equal(JobErrorCodes.WrongModel, refused.Error!.Code);
        Assert.Contains("for model 'tiny'", refused.Error.Message, StringComparison.Ordinal);
        Assert.Contains("worker for model 'shapes'", refused.Error.Message, StringComparison.Ordinal);
        Assert.Equal(0, refused.Attempts);
        Assert.Null(refused.Parameters.Scheduler); // shapes' defaults were never written into it
        Assert.Empty(await shapesWorker.ListResultBlobsAsync());

        // Each worker draws its own model's job.
        Assert.Equal(JobProcessingOutcome.Succeeded, await shapesWorker.Create<ProcessGenerationFunction>().ProcessGeneration(onShapes, CancellationToken.None));
        var tinyJob2 = await SubmitAsync(shapesWorker, """{"prompt":"a red circle","model":"tiny","width":64,"height":64,"steps":3,"seed":7}""");
        var onTiny2 = await WorkerTestHost.ReceiveAsync(tinyQueueClient, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10));
        Assert.Contains(tinyJob2, onTiny2.MessageText, StringComparison.Ordinal);
        Assert.Equal(JobProcessingOutcome.Succeeded, await tinyWorker.Create<ProcessGenerationFunction>().ProcessGeneration(onTiny2, CancellationToken.None));

        var shapesDone = await GetAsync(shapesWorker, defaultJob);
        var tinyDone = await GetAsync(shapesWorker, tinyJob2);
        Assert.Equal(("succeeded", "shapes", "shapes"), (shapesDone.Status, shapesDone.Model, shapesDone.Parameters.Model));
        Assert.Equal(("succeeded", "tiny", "tiny"), (tinyDone.Status, tinyDone.Model, tinyDone.Parameters.Model));
        // Each drew with its own folder: the shipped model's own scheduler (ddim) against the generated folder's.
        Assert.Equal("ddim", shapesDone.Parameters.Scheduler);
        Assert.NotEqual("ddim", tinyDone.Parameters.Scheduler);
        Assert.Single(shapesDone.Results);
        Assert.Single(tinyDone.Results);
    }

    private static async Task<string> SubmitAsync(WorkerTestHost host, string json)
    {
        var result = await host.CreateApi<SubmitGenerationFunction>().SubmitGeneration(
            HttpRequestBuilder.Post("/api/generations").WithJson(json).Build(), CancellationToken.None);
        return Assert.IsType<GenerationResource>(Assert.IsType<AcceptedResult>(result).Value).Id;
    }

    private static async Task<GenerationResource> GetAsync(WorkerTestHost host, string jobId)
    {
        var result = await host.CreateApi<GetGenerationFunction>().GetGeneration(
            HttpRequestBuilder.Get($"/api/generations/{jobId}").WithRouteValue("id", jobId).Build(), jobId, CancellationToken.None);
        return Assert.IsType<GenerationResource>(Assert.IsType<OkObjectResult>(result).Value);
    }
}
