using DiffusionFunctions.Api.Functions;
using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.Api.Resources;
using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.TestSupport;
using Microsoft.AspNetCore.Mvc;

namespace DiffusionFunctions.Api.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class GetGenerationTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Queued_job_shows_status_timestamps_and_parameters_with_the_seed()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var id = await SubmitAsync(host, """{"prompt":"an orchard in spring","seed":1234,"steps":12}""");

        var result = await Get(host, id);

        var resource = Assert.IsType<GenerationResource>(Assert.IsType<OkObjectResult>(result).Value);
        Assert.Equal(id, resource.Id);
        Assert.Equal("queued", resource.Status);
        Assert.Equal(1234, resource.Parameters.Seed);
        Assert.Equal(12, resource.Parameters.Steps);
        Assert.Equal("an orchard in spring", resource.Parameters.Prompt);
        Assert.Null(resource.StartedAt);
        Assert.Empty(resource.Results);
    }

    [Fact]
    public async Task Running_job_shows_step_progress()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var id = await SubmitAsync(host, """{"prompt":"a river","steps":10}""");
        await host.Jobs.MarkRunningAsync(id);
        await host.Jobs.ReportProgressAsync(id, 4, 10);

        var resource = Assert.IsType<GenerationResource>(Assert.IsType<OkObjectResult>(await Get(host, id)).Value);

        Assert.Equal("running", resource.Status);
        Assert.Equal(new GenerationProgressResource(4, 10), resource.Progress);
        Assert.NotNull(resource.StartedAt);
    }

    [Fact]
    public async Task Succeeded_job_lists_short_lived_read_only_urls_that_download_the_images()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var id = await SubmitAsync(host, """{"prompt":"a kite"}""");
        var png = TestImages.Png(8, 8);
        await host.ResultsContainer.GetBlobClient($"{id}/0.png").UploadAsync(new BinaryData(png));
        await host.Jobs.MarkRunningAsync(id);
        await host.Jobs.MarkSucceededAsync(id, [$"{id}/0.png"], withheldCount: 1);

        var resource = Assert.IsType<GenerationResource>(Assert.IsType<OkObjectResult>(await Get(host, id)).Value);

        Assert.Equal("succeeded", resource.Status);
        Assert.Equal(1, resource.WithheldCount);
        var url = new Uri(Assert.Single(resource.Results));
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query);
        Assert.Equal("r", query["sp"].ToString());
        Assert.True(query.ContainsKey("sig"));
        var expiresAt = DateTimeOffset.Parse(query["se"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(16));
        using var http = new HttpClient();
        Assert.Equal(png, await http.GetByteArrayAsync(url));
        var unsigned = new UriBuilder(url) { Query = string.Empty }.Uri;
        using var anonymous = await http.GetAsync(unsigned);
        Assert.False(anonymous.IsSuccessStatusCode, "The blob must not be readable without the SAS.");
    }

    [Fact]
    public async Task Failed_job_shows_the_error_code_and_message()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var id = await SubmitAsync(host, """{"prompt":"a tower"}""");
        await host.Jobs.MarkFailedAsync(id, "engine-error", "The UNet run failed.");

        var resource = Assert.IsType<GenerationResource>(Assert.IsType<OkObjectResult>(await Get(host, id)).Value);

        Assert.Equal("failed", resource.Status);
        Assert.Equal(new GenerationErrorResource("engine-error", "The UNet run failed."), resource.Error);
        Assert.NotNull(resource.FinishedAt);
    }

    [Fact]
    public async Task Unknown_id_is_a_404_problem()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);

        ProblemAssert.IsProblem(await Get(host, JobIds.New()), 404, ProblemTypes.NotFound, "id");
    }

    [Fact]
    public async Task Malformed_id_is_a_400_naming_id()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);

        ProblemAssert.IsProblem(await Get(host, "../jobs/secret"), 400, ProblemTypes.Validation, "id");
    }

    [Fact]
    public async Task An_existing_id_with_a_trailing_newline_is_a_400_not_the_job()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var id = await SubmitAsync(host, """{"prompt":"a lighthouse"}""");

        ProblemAssert.IsProblem(await Get(host, id + "\n"), 400, ProblemTypes.Validation, "id");
        ProblemAssert.IsProblem(await CancelGenerationTests.Cancel(host, id + "\n"), 400, ProblemTypes.Validation, "id");
        Assert.Equal(JobStatus.Queued, (await host.Jobs.GetAsync(id))!.Status);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("null")]
    public async Task A_corrupt_record_is_a_500_job_record_unreadable_for_get_and_delete(string content)
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        var id = JobIds.New();
        await host.JobsContainer.GetBlobClient(DiffusionJobsClient.BlobNameFor(id)).UploadAsync(BinaryData.FromString(content));

        var get = ProblemAssert.IsProblem(await Get(host, id), 500, ProblemTypes.JobRecordUnreadable, "id");
        var delete = ProblemAssert.IsProblem(await CancelGenerationTests.Cancel(host, id), 500, ProblemTypes.JobRecordUnreadable, "id");

        Assert.Contains(id, get.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("JSON", get.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(get.Detail, delete.Detail);
    }

    internal static async Task<string> SubmitAsync(ApiTestHost host, string json)
    {
        var request = HttpRequestBuilder.Post("/api/generations").WithJson(json).Build();
        var result = await host.Create<SubmitGenerationFunction>().SubmitGeneration(request, CancellationToken.None);
        return Assert.IsType<GenerationResource>(Assert.IsType<AcceptedResult>(result).Value).Id;
    }

    private static Task<IActionResult> Get(ApiTestHost host, string id)
    {
        var request = HttpRequestBuilder.Get($"/api/generations/{id}").WithRouteValue("id", id).Build();
        return host.Create<GetGenerationFunction>().GetGeneration(request, id, CancellationToken.None);
    }
}
