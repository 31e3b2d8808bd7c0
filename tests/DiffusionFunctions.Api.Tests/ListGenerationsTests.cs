using DiffusionFunctions.Api.Functions;
using DiffusionFunctions.Api.Listing;
using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.Api.Resources;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.TestSupport;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace DiffusionFunctions.Api.Tests;

/// <summary><c>GET /api/generations?limit=N</c> over Azurite: the caller's jobs from their day index blobs.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ListGenerationsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Lists_the_callers_jobs_newest_first_and_not_other_callers()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var mine = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            mine.Add(await SubmitAsync(host, $$"""{"prompt":"a red star {{i}}"}""", "alice"));
        }

        var bobs = await SubmitAsync(host, """{"prompt":"a blue ring"}""", "bob");
        var anonymous = await SubmitAsync(host, """{"prompt":"a green heart"}""", clientId: null);

        var listed = await ListAsync(host, "alice");
        Assert.Equal(Enumerable.Reverse(mine), listed.Select(g => g.Id));
        Assert.Equal("a red star 2", listed[0].Parameters.Prompt);
        Assert.Equal("queued", listed[0].Status);
        Assert.Equal([bobs], (await ListAsync(host, "bob")).Select(g => g.Id));
        Assert.Equal([anonymous], (await ListAsync(host, clientId: null)).Select(g => g.Id));
        Assert.Empty(await ListAsync(host, "carol"));
    }

    [Fact]
    public async Task Limit_caps_the_list_at_the_most_recent_jobs()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await SubmitAsync(host, $$"""{"prompt":"a star {{i}}"}""", "alice"));
        }

        Assert.Equal([ids[3], ids[2]], (await ListAsync(host, "alice", "limit=2")).Select(g => g.Id));
    }

    [Fact]
    public async Task One_small_index_blob_per_caller_per_day_holds_the_ids()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var first = await SubmitAsync(host, """{"prompt":"a star"}""", "alice");
        var second = await SubmitAsync(host, """{"prompt":"a ring"}""", "alice");

        var indexBlobs = (await host.ListBlobsAsync(host.JobsContainer)).Where(n => n.StartsWith("owners/", StringComparison.Ordinal)).ToList();

        var blob = Assert.Single(indexBlobs);
        Assert.StartsWith(CallerJobIndex.PrefixFor("alice"), blob, StringComparison.Ordinal);
        Assert.Matches(@"/\d{4}-\d{2}-\d{2}\.json$", blob);
        var text = (await host.JobsContainer.GetBlobClient(blob).DownloadContentAsync()).Value.Content.ToString();
        Assert.Contains(first, text, StringComparison.Ordinal);
        Assert.Contains(second, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_submissions_of_one_caller_are_all_listed()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);

        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => SubmitAsync(host, $$"""{"prompt":"a star {{i}}"}""", "alice")));

        Assert.Equal(ids.Order(StringComparer.Ordinal), (await ListAsync(host, "alice", "limit=100")).Select(g => g.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_idempotent_replay_is_listed_once()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var id = await SubmitAsync(host, """{"prompt":"a star"}""", "alice", idempotencyKey: "k-1");
        await SubmitAsync(host, """{"prompt":"a star"}""", "alice", idempotencyKey: "k-1");

        Assert.Equal([id], (await ListAsync(host, "alice")).Select(g => g.Id));
    }

    [Fact]
    public async Task The_list_spans_days_reading_the_newest_day_blobs_first()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var index = host.Services.GetRequiredService<CallerJobIndex>();
        var monday = new DateTimeOffset(2026, 12, 7, 23, 0, 0, TimeSpan.Zero);
        await index.AddAsync("alice", new JobIndexEntry("a", monday.AddDays(-2)), CancellationToken.None);
        await index.AddAsync("alice", new JobIndexEntry("b", monday.AddDays(-1)), CancellationToken.None);
        await index.AddAsync("alice", new JobIndexEntry("c", monday), CancellationToken.None);
        await index.AddAsync("alice", new JobIndexEntry("d", monday.AddMinutes(30)), CancellationToken.None);
        await index.AddAsync("alice", new JobIndexEntry("d", monday.AddMinutes(30)), CancellationToken.None);

        Assert.Equal(["d", "c", "b"], (await index.RecentAsync("alice", 3, CancellationToken.None)).Select(e => e.Id));
        Assert.Equal(["d", "c", "b", "a"], (await index.RecentAsync("alice", 10, CancellationToken.None)).Select(e => e.Id));
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("limit=ten")]
    [InlineData("limit=-1")]
    public async Task A_bad_limit_is_a_validation_problem_naming_limit(string query)
    {
        await using var host = await ApiTestHost.StartAsync(azurite);

        var result = await host.Create<ListGenerationsFunction>().ListGenerations(Request("alice", query), CancellationToken.None);

        ProblemAssert.IsProblem(result, 400, ProblemTypes.Validation, "limit");
    }

    [Fact]
    public async Task A_bad_client_id_is_refused_by_the_list_and_by_submit_before_anything_is_stored()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var tooLong = new string('x', CallerIdentity.MaxLength + 1);

        ProblemAssert.IsProblem(
            await host.Create<ListGenerationsFunction>().ListGenerations(Request(tooLong, null), CancellationToken.None), 400, ProblemTypes.Validation, CallerIdentity.Header);
        var submit = HttpRequestBuilder.Post("/api/generations").WithJson("""{"prompt":"a star"}""").WithHeader(CallerIdentity.Header, "has space").Build();
        ProblemAssert.IsProblem(
            await host.Create<SubmitGenerationFunction>().SubmitGeneration(submit, CancellationToken.None), 400, ProblemTypes.Validation, CallerIdentity.Header);
        await host.AssertNothingStoredAsync();
    }

    private static Microsoft.AspNetCore.Http.HttpRequest Request(string? clientId, string? query)
    {
        var builder = HttpRequestBuilder.Get("/api/generations");
        if (clientId is not null)
        {
            builder = builder.WithHeader(CallerIdentity.Header, clientId);
        }

        if (query is not null)
        {
            var parts = query.Split('=');
            builder = builder.WithQuery(parts[0], parts[1]);
        }

        return builder.Build();
    }

    private static async Task<IReadOnlyList<GenerationResource>> ListAsync(ApiTestHost host, string? clientId, string? query = null)
    {
        var result = await host.Create<ListGenerationsFunction>().ListGenerations(Request(clientId, query), CancellationToken.None);
        return Assert.IsType<GenerationListResource>(Assert.IsType<OkObjectResult>(result).Value).Generations;
    }

    private static async Task<string> SubmitAsync(ApiTestHost host, string json, string? clientId, string? idempotencyKey = null)
    {
        var builder = HttpRequestBuilder.Post("/api/generations").WithJson(json);
        if (clientId is not null)
        {
            builder = builder.WithHeader(CallerIdentity.Header, clientId);
        }

        if (idempotencyKey is not null)
        {
            builder = builder.WithHeader("Idempotency-Key", idempotencyKey);
        }

        var result = await host.Create<SubmitGenerationFunction>().SubmitGeneration(builder.Build(), CancellationToken.None);
        var accepted = Assert.IsAssignableFrom<ObjectResult>(result);
        Assert.Equal(202, accepted.StatusCode);
        return Assert.IsType<GenerationResource>(accepted.Value).Id;
    }
}
