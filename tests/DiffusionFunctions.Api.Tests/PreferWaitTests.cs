using DiffusionFunctions.Api.Functions;
using DiffusionFunctions.Api.Resources;
using DiffusionFunctions.Api.Submission;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Queue;
using DiffusionFunctions.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace DiffusionFunctions.Api.Tests;

/// <summary><c>Prefer: wait=N</c> on <c>POST /api/generations</c> (RFC 7240), against real Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PreferWaitTests(AzuriteFixture azurite)
{
    private const string Path = "/api/generations";

    [Theory]
    [InlineData(null, 60, 0, "no Prefer header: no wait")]
    [InlineData("wait=5", 60, 5, "plain wait")]
    [InlineData("wait=600", 60, 60, "capped at the configured maximum")]
    [InlineData("handling=lenient, wait=3", 60, 3, "other preferences beside wait are ignored")]
    [InlineData("wait=7;foo=bar", 60, 7, "preference parameters are ignored")]
    [InlineData("respond-async, wait=5", 60, 0, "respond-async asks for the 202 at once")]
    [InlineData("wait=abc", 60, 0, "malformed value is ignored, not an error")]
    [InlineData("wait=-1", 60, 0, "negative value is ignored")]
    [InlineData("wait=5", 0, 0, "MaxWaitSeconds 0 turns the feature off")]
    public void Prefer_header_is_read_as_RFC_7240_asks(string? prefer, int max, int expected, string reason)
    {
        var headers = new HeaderDictionary();
        if (prefer is not null)
        {
            headers["Prefer"] = prefer;
        }

        Assert.True(expected == PreferWait.Read(headers, max), reason);
    }

    [Fact]
    public async Task Job_finishing_within_the_wait_answers_200_with_the_finished_job()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var request = HttpRequestBuilder.Post(Path)
            .WithJson("""{"prompt":"a lighthouse at dusk","steps":4}""")
            .WithHeader("Prefer", "wait=30")
            .Build();

        // A real concurrent writer standing in for the worker: it takes the message from the queue and finishes the job.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var worker = FinishNextJobAsync(host, stop.Token);

        var result = await host.Create<SubmitGenerationFunction>().SubmitGeneration(request, CancellationToken.None);

        var finishedId = await worker;
        var ok = Assert.IsType<OkObjectResult>(result);
        var resource = Assert.IsType<GenerationResource>(ok.Value);
        Assert.Equal(finishedId, resource.Id);
        Assert.Equal("succeeded", resource.Status);
        var url = Assert.Single(resource.Results);
        Assert.Contains($"{finishedId}/0.png", url, StringComparison.Ordinal);
        Assert.Contains("sig=", url, StringComparison.Ordinal);
        Assert.Equal("wait=30", request.HttpContext.Response.Headers["Preference-Applied"].ToString());
        Assert.EndsWith($"/api/generations/{finishedId}", request.HttpContext.Response.Headers.Location.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_not_finished_when_the_wait_passes_answers_the_usual_202()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var request = HttpRequestBuilder.Post(Path)
            .WithJson("""{"prompt":"a lighthouse at dusk"}""")
            .WithHeader("Prefer", "wait=1")
            .Build();

        var result = await host.Create<SubmitGenerationFunction>().SubmitGeneration(request, CancellationToken.None);

        var accepted = Assert.IsType<AcceptedResult>(result);
        var resource = Assert.IsType<GenerationResource>(accepted.Value);
        Assert.Equal("queued", resource.Status);
        Assert.Equal("wait=1", request.HttpContext.Response.Headers["Preference-Applied"].ToString());
        Assert.Equal("2", request.HttpContext.Response.Headers.RetryAfter.ToString());
        Assert.Single(await host.PeekGenerationMessagesAsync());
    }

    [Fact]
    public async Task Failed_job_within_the_wait_answers_200_with_the_error()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var request = HttpRequestBuilder.Post(Path)
            .WithJson("""{"prompt":"a lighthouse at dusk"}""")
            .WithHeader("Prefer", "wait=30")
            .Build();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var worker = FinishNextJobAsync(host, stop.Token, fail: true);

        var result = await host.Create<SubmitGenerationFunction>().SubmitGeneration(request, CancellationToken.None);

        await worker;
        var resource = Assert.IsType<GenerationResource>(Assert.IsType<OkObjectResult>(result).Value);
        Assert.Equal("failed", resource.Status);
        Assert.Equal("engine-error", resource.Error?.Code);
        Assert.Empty(resource.Results);
    }

    private static async Task<string> FinishNextJobAsync(ApiTestHost host, CancellationToken cancellationToken, bool fail = false)
    {
        string? jobId = null;
        while (jobId is null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var messages = await host.PeekGenerationMessagesAsync();
            jobId = messages.Select(GenerationQueueMessage.Parse).Select(m => m.JobId).FirstOrDefault();
            if (jobId is null)
            {
                await Task.Yield();
            }
        }

        await host.Jobs.MarkRunningAsync(jobId, cancellationToken);
        if (fail)
        {
            await host.Jobs.MarkFailedAsync(jobId, "engine-error", "the UNet run failed", cancellationToken);
        }
        else
        {
            await host.Jobs.MarkSucceededAsync(jobId, [$"{jobId}/0.png"], cancellationToken: cancellationToken);
        }

        return jobId;
    }
}
