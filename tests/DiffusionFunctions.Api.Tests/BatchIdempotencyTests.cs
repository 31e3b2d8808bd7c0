using System.Text;
using DiffusionFunctions.Api.Batches;
using DiffusionFunctions.Api.Functions;
using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.Api.Resources;
using DiffusionFunctions.Core.Workflows;
using DiffusionFunctions.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace DiffusionFunctions.Api.Tests;

/// <summary><c>Idempotency-Key</c> on <c>POST /api/batches</c>, against Azurite with the API's own services.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BatchIdempotencyTests(AzuriteFixture azurite)
{
    private const string Path = "/api/batches";
    private const string Body = """{"items":[{"prompt":"a red star","seed":1},{"prompt":"a blue circle","seed":2},{"prompt":"a green square","seed":3}]}""";

    [Fact]
    public async Task A_retry_with_the_same_key_and_body_answers_the_same_batch_and_creates_no_new_run_or_jobs()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var first = Assert.IsType<AcceptedResult>(await SubmitAsync(host, Body, "batch-key-1"));
        var batch = Assert.IsType<BatchResource>(first.Value);
        var jobsBefore = await JobRecordNamesAsync(host);
        var messagesBefore = await host.PeekGenerationMessagesAsync();
        Assert.Equal(3, jobsBefore.Count);

        var retryRequest = Request(Body, "batch-key-1");
        var retry = Assert.IsType<AcceptedResult>(await host.Create<SubmitBatchFunction>().SubmitBatch(retryRequest, CancellationToken.None));

        var replayed = Assert.IsType<BatchResource>(retry.Value);
        Assert.Equal(batch.Id, replayed.Id);
        Assert.Equal(first.Location, retry.Location);
        Assert.Equal(batch.CreatedAt, replayed.CreatedAt);
        Assert.Equal("true", retryRequest.HttpContext.Response.Headers["Idempotent-Replayed"].ToString());
        Assert.Equal(jobsBefore, await JobRecordNamesAsync(host));
        Assert.Equal([batch.Id], await RunIdsAsync(host));
        Assert.Equal(messagesBefore.Count, (await host.PeekGenerationMessagesAsync()).Count);
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_a_409_naming_the_first_batch_and_creates_nothing()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var batch = Assert.IsType<BatchResource>(Assert.IsType<AcceptedResult>(await SubmitAsync(host, Body, "batch-key-2")).Value);

        var other = await SubmitAsync(host, """{"items":[{"prompt":"a red star","seed":9}]}""", "batch-key-2");

        var problem = ProblemAssert.IsProblem(other, 409, ProblemTypes.IdempotencyConflict, "Idempotency-Key");
        Assert.Equal(batch.Id, problem.Extensions["batchId"]);
        Assert.Contains(batch.Id, problem.Detail, StringComparison.Ordinal);
        Assert.Equal([batch.Id], await RunIdsAsync(host));
        Assert.Equal(3, (await JobRecordNamesAsync(host)).Count);
    }

    [Theory]
    [InlineData("has a space")]
    [InlineData("")]
    public async Task An_invalid_key_is_a_400_naming_the_header_and_stores_nothing(string key)
    {
        await using var host = await ApiTestHost.StartAsync(azurite);

        var result = await SubmitAsync(host, Body, key);

        ProblemAssert.Validation(result, "Idempotency-Key");
        await host.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_generation_and_a_batch_with_the_same_key_do_not_collide()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var generationRequest = HttpRequestBuilder.Post("/api/generations").WithHeader("Idempotency-Key", "shared-key").WithJson("""{"prompt":"a quiet harbour","seed":7}""").Build();
        var generation = Assert.IsType<GenerationResource>(Assert.IsType<AcceptedResult>(
            await host.Create<SubmitGenerationFunction>().SubmitGeneration(generationRequest, CancellationToken.None)).Value);

        var batchResult = await SubmitAsync(host, Body, "shared-key");

        var batch = Assert.IsType<BatchResource>(Assert.IsType<AcceptedResult>(batchResult).Value);
        Assert.NotEqual(generation.Id, batch.Id);
        Assert.Equal([batch.Id], await RunIdsAsync(host));

        // And the other way round: the generation key still replays its job, the batch key its batch.
        var again = HttpRequestBuilder.Post("/api/generations").WithHeader("Idempotency-Key", "shared-key").WithJson("""{"prompt":"a quiet harbour","seed":7}""").Build();
        Assert.Equal(generation.Id, Assert.IsType<GenerationResource>(Assert.IsType<AcceptedResult>(
            await host.Create<SubmitGenerationFunction>().SubmitGeneration(again, CancellationToken.None)).Value).Id);
        Assert.Equal(batch.Id, Assert.IsType<BatchResource>(Assert.IsType<AcceptedResult>(await SubmitAsync(host, Body, "shared-key")).Value).Id);
    }

    [Fact]
    public async Task A_retry_after_a_crash_between_recording_the_key_and_creating_the_run_starts_the_recorded_batch()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        // The first request got as far as recording its key (the same call the handler makes), then died.
        var recorded = await host.Services.GetRequiredService<BatchIdempotency>().ClaimAsync("batch-key-crash", Encoding.UTF8.GetBytes(Body), CancellationToken.None);
        Assert.True(recorded.Claimed);
        Assert.Empty(await RunIdsAsync(host));

        var retry = Assert.IsType<AcceptedResult>(await SubmitAsync(host, Body, "batch-key-crash"));

        var batch = Assert.IsType<BatchResource>(retry.Value);
        Assert.Equal(recorded.RunId, batch.Id);
        Assert.Equal([recorded.RunId], await RunIdsAsync(host));
        Assert.Equal(
            Enumerable.Range(0, 3).Select(i => WorkflowIds.JobIdFor(recorded.RunId, i) + ".json").Order(StringComparer.Ordinal),
            await JobRecordNamesAsync(host));
        Assert.NotEmpty(await host.PeekGenerationMessagesAsync());
    }

    [Fact]
    public async Task A_batch_refused_whole_releases_its_key_for_a_corrected_body()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var refused = await SubmitAsync(host, """{"items":[{"prompt":""}]}""", "batch-key-fix");
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, Assert.IsType<ObjectResult>(refused).StatusCode);

        var corrected = await SubmitAsync(host, Body, "batch-key-fix");

        var batch = Assert.IsType<BatchResource>(Assert.IsType<AcceptedResult>(corrected).Value);
        Assert.Equal([batch.Id], await RunIdsAsync(host));
    }

    private static HttpRequest Request(string json, string? key)
    {
        var builder = HttpRequestBuilder.Post(Path).WithJson(json);
        if (key is not null)
        {
            builder.WithHeader("Idempotency-Key", key);
        }

        return builder.Build();
    }

    private static Task<IActionResult> SubmitAsync(ApiTestHost host, string json, string? key)
        => host.Create<SubmitBatchFunction>().SubmitBatch(Request(json, key), CancellationToken.None);

    private static async Task<List<string>> JobRecordNamesAsync(ApiTestHost host)
        => [.. (await host.ListBlobsAsync(host.JobsContainer)).Where(n => !n.Contains('/', StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    private static async Task<List<string>> RunIdsAsync(ApiTestHost host)
        => [.. (await host.ListBlobsAsync(host.JobsContainer)).Where(n => n.StartsWith("runs/", StringComparison.Ordinal) && n.EndsWith("/definition.json", StringComparison.Ordinal))
            .Select(n => n.Split('/')[1])];
}
