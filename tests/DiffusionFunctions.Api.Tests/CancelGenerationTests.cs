using DiffusionFunctions.Api.Functions;
using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.Api.Resources;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.TestSupport;
using Microsoft.AspNetCore.Mvc;

namespace DiffusionFunctions.Api.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class CancelGenerationTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Queued_job_is_cancelled_at_once_and_a_repeat_returns_it_unchanged()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var id = await GetGenerationTests.SubmitAsync(host, """{"prompt":"a pier"}""");

        var first = Assert.IsType<OkObjectResult>(await Cancel(host, id));
        var second = Assert.IsType<OkObjectResult>(await Cancel(host, id));

        Assert.Equal("cancelled", Assert.IsType<GenerationResource>(first.Value).Status);
        var again = Assert.IsType<GenerationResource>(second.Value);
        Assert.Equal("cancelled", again.Status);
        Assert.Equal(Assert.IsType<GenerationResource>(first.Value).FinishedAt, again.FinishedAt);
        var stored = await host.Jobs.GetAsync(id);
        Assert.Equal(JobStatus.Cancelled, stored!.Status);
    }

    [Fact]
    public async Task Running_job_gets_a_cancel_request_and_202()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var id = await GetGenerationTests.SubmitAsync(host, """{"prompt":"a pier"}""");
        await host.Jobs.MarkRunningAsync(id);

        var result = Assert.IsType<ObjectResult>(await Cancel(host, id));

        Assert.Equal(202, result.StatusCode);
        var resource = Assert.IsType<GenerationResource>(result.Value);
        Assert.Equal("running", resource.Status);
        Assert.True(resource.CancelRequested);
        var stored = await host.Jobs.GetAsync(id);
        Assert.True(stored!.CancelRequested);
        Assert.Equal(JobStatus.Running, stored.Status);
    }

    [Fact]
    public async Task Succeeded_job_cannot_be_cancelled_409()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var id = await GetGenerationTests.SubmitAsync(host, """{"prompt":"a pier"}""");
        await host.Jobs.MarkRunningAsync(id);
        await host.Jobs.MarkSucceededAsync(id, [$"{id}/0.png"]);

        ProblemAssert.IsProblem(await Cancel(host, id), 409, ProblemTypes.JobFinished, "id");
        Assert.Equal(JobStatus.Succeeded, (await host.Jobs.GetAsync(id))!.Status);
    }

    [Fact]
    public async Task Unknown_job_is_a_404()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);

        ProblemAssert.IsProblem(await Cancel(host, JobIds.New()), 404, ProblemTypes.NotFound, "id");
    }

    internal static Task<IActionResult> Cancel(ApiTestHost host, string id)
    {
        var request = HttpRequestBuilder.Delete($"/api/generations/{id}").WithRouteValue("id", id).Build();
        return host.Create<CancelGenerationFunction>().CancelGeneration(request, id, CancellationToken.None);
    }
}
