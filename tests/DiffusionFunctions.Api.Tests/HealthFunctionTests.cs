using DiffusionFunctions.Api.Functions;
using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.TestSupport;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Azure;

namespace DiffusionFunctions.Api.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class HealthFunctionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Healthy_when_storage_answers()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);

        var result = await host.Create<HealthFunction>().Health(HttpRequestBuilder.Get("/api/health").Build(), CancellationToken.None);

        Assert.Equal(new HealthReport("healthy", "reachable"), Assert.IsType<OkObjectResult>(result).Value);
    }

    [Fact]
    public async Task Unhealthy_503_when_the_jobs_container_is_missing()
    {
        await using var host = await ApiTestHost.StartAsync(azurite);
        await host.JobsContainer.DeleteAsync();

        var result = await host.Create<HealthFunction>().Health(HttpRequestBuilder.Get("/api/health").Build(), CancellationToken.None);

        var problem = ProblemAssert.IsProblem(result, 503, ProblemTypes.StorageUnavailable, field: null);
        Assert.Contains(host.Names.JobsContainer, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_several_models_unhealthy_503_when_a_models_queue_is_missing()
    {
        await using var host = await ApiTestHost.StartAsync(azurite, new()
        {
            ["DiffusionFunctions:DefaultModel"] = "shapes",
            ["DiffusionFunctions:Models:shapes:Path"] = "models/tiny-shapes",
            ["DiffusionFunctions:Models:other:Path"] = "models/tiny-shapes",
        });
        var health = () => host.Create<HealthFunction>().Health(HttpRequestBuilder.Get("/api/health").Build(), CancellationToken.None);
        Assert.IsType<OkObjectResult>(await health());

        await host.Azurite.QueueService.GetQueueClient(host.Names.GenerationQueue + "-other").DeleteAsync();

        var problem = ProblemAssert.IsProblem(await health(), 503, ProblemTypes.StorageUnavailable, field: null);
        Assert.Contains(host.Names.GenerationQueue + "-other", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unhealthy_503_when_storage_does_not_answer()
    {
        // Same service graph, but storage on a closed port, with retries off so the probe fails fast.
        await using var down = await ApiTestHost.StartAsync(azurite, new()
        {
            ["AzureWebJobsStorage"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
                + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
                + "BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;",
        }, services => services.AddAzureClients(clients => clients.ConfigureDefaults(o => o.Retry.MaxRetries = 0)), createResources: false);

        var result = await down.Create<HealthFunction>().Health(HttpRequestBuilder.Get("/api/health").Build(), CancellationToken.None);

        var problem = ProblemAssert.IsProblem(result, 503, ProblemTypes.StorageUnavailable, field: null);
        Assert.Contains("unreachable", problem.Detail, StringComparison.Ordinal);
    }
}
