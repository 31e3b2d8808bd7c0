using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Workflows;
using DiffusionFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace DiffusionFunctions.Core.Tests.Workflows;

/// <summary>The run store's ETag-conditional fan-in state on Azurite: concurrent and repeated recordings each count once.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkflowRunStoreTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Concurrent_and_duplicate_recordings_of_every_item_count_each_item_once()
    {
        var (services, _) = await CoreTestServices.StartAsync(azurite);
        await using var _ = services;
        var runs = services.GetRequiredService<WorkflowRunStore>();
        var runId = WorkflowIds.NewRunId();
        var parameters = new GenerationParameters { Prompt = "a red star", Seed = 1, Count = 1, Mode = GenerationMode.TextToImage };
        var definition = new WorkflowRunDefinition
        {
            Id = runId,
            Kind = "batch",
            CreatedAt = DateTimeOffset.UtcNow,
            Items = [.. Enumerable.Range(0, 24).Select(i => WorkflowItem.Accepted(runId, i, parameters))],
        };
        Assert.True((await runs.CreateDefinitionAsync(definition, CancellationToken.None)).Created);
        Assert.False((await runs.CreateDefinitionAsync(definition with { CreatedAt = DateTimeOffset.UnixEpoch }, CancellationToken.None)).Created);
        Assert.Equal(definition.CreatedAt, (await runs.GetDefinitionAsync(runId, CancellationToken.None))!.CreatedAt); // the first start's
        Assert.True(await runs.CreateStateAsync(WorkflowRunState.Start(definition, DateTimeOffset.UtcNow), CancellationToken.None));
        Assert.False(await runs.CreateStateAsync(WorkflowRunState.Start(definition, DateTimeOffset.UtcNow), CancellationToken.None));

        // Every item recorded twice (a duplicate delivery each), all at once.
        var writes = await Task.WhenAll(Enumerable.Range(0, 48).Select(i => Task.Run(() =>
            runs.UpdateStateAsync(runId, s => s.Record(i % 24, i % 3 == 0 ? JobStatus.Failed : JobStatus.Succeeded, DateTimeOffset.UtcNow), CancellationToken.None))));

        var state = (await runs.GetStateAsync(runId, CancellationToken.None))!;
        Assert.True(state.AllFinished);
        Assert.Equal(24, state.Counts().Finished);
        Assert.Equal(24, writes.Count(w => w.Written)); // one write per item; every duplicate wrote nothing
    }
}
