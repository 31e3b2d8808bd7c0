using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker.Engine;
using DiffusionFunctions.Worker.Functions;
using DiffusionFunctions.Worker.Processing;
using DiffusionFunctions.Worker.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace DiffusionFunctions.Worker.Tests;

/// <summary>
/// The worker warms up before it takes messages, and says so: readiness goes loading → warming up → ready, the health
/// function answers 503 until then and 200 with the device, model and start-up times after, and the job processor holds
/// a message until the engine is ready.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class EngineReadinessTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_started_worker_reports_ready_with_the_device_model_and_times()
    {
        await using var host = await WorkerTestHost.StartAsync(azurite);

        var result = Assert.IsType<ObjectResult>(host.Create<WorkerHealthFunction>().WorkerHealth(HttpRequestBuilder.Get("/api/health").Build()));

        Assert.Equal(200, result.StatusCode);
        var report = Assert.IsType<WorkerHealthReport>(result.Value);
        Assert.Equal("ready", report.Status);
        Assert.Equal("cpu", report.Device);
        Assert.Equal(host.Services.GetRequiredService<DiffusionModelHost>().Model.Name, report.Model);
        Assert.NotNull(report.LoadMilliseconds);
        Assert.NotNull(report.WarmUpMilliseconds);
    }

    [Fact]
    public void A_worker_that_is_still_loading_answers_503()
    {
        var result = Assert.IsType<ObjectResult>(new WorkerHealthFunction(new EngineReadiness()).WorkerHealth(HttpRequestBuilder.Get("/api/health").Build()));

        Assert.Equal(503, result.StatusCode);
        Assert.Equal("loading", Assert.IsType<WorkerHealthReport>(result.Value).Status);
    }

    [Fact]
    public async Task A_message_waits_for_the_engine_to_be_ready()
    {
        await using var host = await WorkerTestHost.StartAsync(azurite);
        var readiness = new EngineReadiness();
        var processor = ActivatorUtilities.CreateInstance<GenerationJobProcessor>(host.Services, readiness);
        var jobId = await host.EnqueueJobAsync(TestJobs.Parameters());
        var message = await host.ReceiveGenerationAsync();

        var processing = processor.ProcessAsync(message.MessageText, message.DequeueCount, CancellationToken.None);
        Assert.Equal(JobStatus.Queued, (await host.Jobs.GetAsync(jobId))!.Status); // not touched while the engine is not ready
        readiness.Loaded("cpu", "test", 1);
        Assert.Equal(JobStatus.Queued, (await host.Jobs.GetAsync(jobId))!.Status);
        readiness.MarkReady(1);

        Assert.Equal(JobProcessingOutcome.Succeeded, await processing);
    }
}
