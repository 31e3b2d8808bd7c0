using System.Buffers.Binary;
using DiffusionFunctions.Api.Functions;
using DiffusionFunctions.Api.Resources;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker.Functions;
using DiffusionFunctions.Worker.Processing;
using DiffusionFunctions.Worker.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace DiffusionFunctions.Worker.Tests.Processing;

/// <summary>
/// Model-aware defaults end to end: a job submitted through the API with only a prompt runs with the values the shipped
/// model's folder gives (<c>models/tiny-shapes</c>: 64x64 from <c>sample_size</c> 8, guidance 2.5 from
/// <c>generation_config.json</c>, DDIM from <c>scheduler_config.json</c>, the engine's 25 steps), and the job record says so.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ModelDefaultsTests(AzuriteFixture azurite)
{
    private static readonly string ShippedModelPath = Path.Combine(RepositoryPaths.Root, "models", "tiny-shapes");

    [Fact]
    public async Task Job_without_parameters_uses_the_shipped_models_defaults_and_the_record_shows_them()
    {
        await using var host = await WorkerTestHost.StartAsync(azurite, new() { ["DiffusionFunctions:Worker:ModelPath"] = ShippedModelPath });

        var accepted = await SubmitAsync(host, """{"prompt":"a red circle on a white background"}""");
        // Queued: nothing chosen for the model yet.
        Assert.Equal((null, null, null, null, null), (accepted.Parameters.Width, accepted.Parameters.Height, accepted.Parameters.Steps,
            accepted.Parameters.GuidanceScale, accepted.Parameters.Scheduler));

        var message = await host.ReceiveGenerationAsync();
        var outcome = await host.Create<ProcessGenerationFunction>().ProcessGeneration(message, CancellationToken.None);
        await host.GenerationQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        Assert.Equal(JobProcessingOutcome.Succeeded, outcome);

        var record = (await host.Jobs.GetAsync(accepted.Id))!;
        var p = record.Parameters;
        Assert.Equal((64, 64, 25, 2.5, "ddim"), (p.Width, p.Height, p.Steps, p.GuidanceScale, p.Scheduler));
        Assert.Equal("tiny-shapes", record.Model);

        // The API shows the same values, and the PNG has the model's size.
        var shown = await GetAsync(host, accepted.Id);
        Assert.Equal((64, 64, 25, 2.5, "ddim"), (shown.Parameters.Width, shown.Parameters.Height, shown.Parameters.Steps,
            shown.Parameters.GuidanceScale, shown.Parameters.Scheduler));
        // GET /api/models (the API reads the folder's JSON, never the engine) announces exactly what the worker used.
        var described = Assert.Single(Assert.IsType<Api.Models.ModelsResource>(Assert.IsType<OkObjectResult>(
            host.CreateApi<GetModelsFunction>().GetModels(HttpRequestBuilder.Get("/api/models").Build())).Value).Models);
        Assert.Equal(new Api.Models.ModelDefaultsResource(64, 64, 25, 2.5, "ddim"), described.Defaults);
        Assert.Equal(record.Model, described.Name);
        Assert.Equal(Diffusion.Pipeline.GenerationSettings.DefaultSteps, Core.Generation.EngineDefaults.Steps);

        var png = (await host.ResultsContainer.GetBlobClient(Assert.Single(record.Results)).DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal((64, 64), (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
    }

    [Fact]
    public async Task Values_the_client_gives_win_over_the_models_defaults()
    {
        await using var host = await WorkerTestHost.StartAsync(azurite, new() { ["DiffusionFunctions:Worker:ModelPath"] = ShippedModelPath });

        var accepted = await SubmitAsync(host, """{"prompt":"a blue square on a yellow background","steps":3,"guidanceScale":1.5,"scheduler":"euler","width":72}""");
        var message = await host.ReceiveGenerationAsync();
        Assert.Equal(JobProcessingOutcome.Succeeded, await host.Create<ProcessGenerationFunction>().ProcessGeneration(message, CancellationToken.None));

        var p = (await host.Jobs.GetAsync(accepted.Id))!.Parameters;
        Assert.Equal((72, 64, 3, 1.5, "euler"), (p.Width, p.Height, p.Steps, p.GuidanceScale, p.Scheduler));
    }

    [Fact]
    public async Task Operator_settings_pin_defaults_for_every_job_of_the_deployment()
    {
        await using var host = await WorkerTestHost.StartAsync(azurite, new()
        {
            ["DiffusionFunctions:Worker:ModelPath"] = ShippedModelPath,
            ["DiffusionFunctions:Generation:DefaultSteps"] = "4",
            ["DiffusionFunctions:Generation:DefaultScheduler"] = "euler",
        });

        var accepted = await SubmitAsync(host, """{"prompt":"a green star on a black background"}""");
        Assert.Equal((4, "euler"), (accepted.Parameters.Steps, accepted.Parameters.Scheduler));
        var message = await host.ReceiveGenerationAsync();
        Assert.Equal(JobProcessingOutcome.Succeeded, await host.Create<ProcessGenerationFunction>().ProcessGeneration(message, CancellationToken.None));

        var p = (await host.Jobs.GetAsync(accepted.Id))!.Parameters;
        Assert.Equal((64, 64, 4, 2.5, "euler"), (p.Width, p.Height, p.Steps, p.GuidanceScale, p.Scheduler));
    }

    private static async Task<GenerationResource> SubmitAsync(WorkerTestHost host, string json)
    {
        var request = HttpRequestBuilder.Post("/api/generations").WithJson(json).Build();
        var result = await host.CreateApi<SubmitGenerationFunction>().SubmitGeneration(request, CancellationToken.None);
        var accepted = Assert.IsAssignableFrom<ObjectResult>(result);
        Assert.Equal(202, accepted.StatusCode);
        return Assert.IsType<GenerationResource>(accepted.Value);
    }

    private static async Task<GenerationResource> GetAsync(WorkerTestHost host, string jobId)
    {
        var request = HttpRequestBuilder.Get("/api/generations/" + jobId).WithRouteValue("id", jobId).Build();
        var result = await host.CreateApi<GetGenerationFunction>().GetGeneration(request, jobId, CancellationToken.None);
        return Assert.IsType<GenerationResource>(Assert.IsType<OkObjectResult>(result).Value);
    }
}
