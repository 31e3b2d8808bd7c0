using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Workflows;

namespace DiffusionFunctions.Core.Tests.Workflows;

public sealed class WorkflowRunStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 1, 0, 0, TimeSpan.Zero);

    private static WorkflowRunDefinition Definition(params bool[] accepted)
    {
        var runId = WorkflowIds.NewRunId();
        var parameters = new GenerationParameters { Prompt = "a red star", Seed = 1, Count = 1, Mode = GenerationMode.TextToImage };
        var refusal = new WorkflowItemRefusal { Type = "t", Title = "t", Status = 400, Detail = "d" };
        return new WorkflowRunDefinition
        {
            Id = runId,
            Kind = "batch",
            CreatedAt = Now,
            Items = [.. accepted.Select((a, i) => a ? WorkflowItem.Accepted(runId, i, parameters) : WorkflowItem.Refused(i, refusal))],
        };
    }

    [Fact]
    public void Start_marks_refused_items_final_and_releases_nothing()
    {
        var state = WorkflowRunState.Start(Definition(true, false, true), Now);

        Assert.Equal(".r.", state.Items);
        Assert.Equal(0, state.Released);
        Assert.False(state.AllFinished);
        Assert.Equal(new WorkflowRunCounts(3, 2, 0, 0, 0, 1), state.Counts());
    }

    [Fact]
    public void Recording_is_idempotent_and_only_final_statuses_count()
    {
        var state = WorkflowRunState.Start(Definition(true, true), Now);

        var once = state.Record(0, JobStatus.Succeeded, Now);
        Assert.Equal("s.", once.Items);
        Assert.Same(once, once.Record(0, JobStatus.Succeeded, Now)); // a duplicate delivery changes nothing
        Assert.Same(once, once.Record(0, JobStatus.Failed, Now)); // nor does a different status for a recorded item
        Assert.Same(once, once.Record(1, JobStatus.Running, Now));
        Assert.True(once.Record(1, JobStatus.Cancelled, Now).AllFinished);
    }

    [Fact]
    public void The_feeder_releases_at_most_max_in_flight_pending_items_and_skips_refused_ones()
    {
        var state = WorkflowRunState.Start(Definition(true, false, true, true, true), Now);

        var first = state.ReleaseNext(2, Now);
        Assert.Equal(3, first.Released); // items 0 and 2 in flight; refused item 1 passed on the way
        Assert.Equal(2, first.InFlight());
        Assert.Same(first, first.ReleaseNext(2, Now)); // nothing finished: nothing more

        var next = first.Record(0, JobStatus.Succeeded, Now).ReleaseNext(2, Now);
        Assert.Equal(4, next.Released);
        Assert.Equal(2, next.InFlight());

        var cancelling = next with { CancelRequested = true };
        Assert.Same(cancelling, cancelling.ReleaseNext(2, Now)); // a cancelled run releases nothing
    }

    [Theory]
    [InlineData("ss", false, WorkflowRunStatus.Completed)]
    [InlineData("sf", false, WorkflowRunStatus.Completed)]
    [InlineData("rf", false, WorkflowRunStatus.Failed)]
    [InlineData("cc", false, WorkflowRunStatus.Failed)]
    [InlineData("sc", true, WorkflowRunStatus.Cancelled)]
    public void The_final_status_follows_from_the_items_and_the_cancel(string items, bool cancelled, WorkflowRunStatus expected)
    {
        var state = new WorkflowRunState { Id = WorkflowIds.NewRunId(), Status = WorkflowRunStatus.Running, Items = items, Released = 2, UpdatedAt = Now, CancelRequested = cancelled };

        Assert.Equal(expected, state.FinalStatus());
    }

    [Fact]
    public void Job_ids_are_derived_from_the_run_and_the_index_and_upload_runs_from_the_upload()
    {
        var run = WorkflowIds.NewRunId();

        Assert.Equal(WorkflowIds.JobIdFor(run, 3), WorkflowIds.JobIdFor(run, 3));
        Assert.NotEqual(WorkflowIds.JobIdFor(run, 3), WorkflowIds.JobIdFor(run, 4));
        Assert.True(JobIds.IsValid(WorkflowIds.JobIdFor(run, 0)));
        Assert.Equal(
            WorkflowIds.RunIdForUpload("batch", "batch-requests", "a.jsonl", "\"0x8DC1\""),
            WorkflowIds.RunIdForUpload("batch", "batch-requests", "a.jsonl", "0x8DC1")); // quoted or not, the same ETag
        Assert.NotEqual(
            WorkflowIds.RunIdForUpload("batch", "batch-requests", "a.jsonl", "0x8DC1"),
            WorkflowIds.RunIdForUpload("batch", "batch-requests", "a.jsonl", "0x8DC2")); // a new upload under the same name
        Assert.NotEqual(
            WorkflowIds.RunIdForUpload("batch", "c", "a.jsonl", "0x1"),
            WorkflowIds.RunIdForUpload("logo", "c", "a.jsonl", "0x1"));
    }

    [Fact]
    public void A_definition_whose_job_ids_are_not_derived_is_refused()
    {
        var definition = Definition(true, true);
        var tampered = definition with { Items = [definition.Items[0], definition.Items[1] with { JobId = JobIds.New() }] };

        Assert.Throws<ArgumentException>(tampered.Validate);
        definition.Validate();
    }
}

public sealed class WorkflowOptionsValidationTests
{
    [Theory]
    [InlineData("DiffusionFunctions:Workflows:MaxInFlightPerRun", "0")]
    [InlineData("DiffusionFunctions:Workflows:StorageConcurrency", "0")]
    [InlineData("DiffusionFunctions:Batches:MaxItems", "10001")]
    [InlineData("DiffusionFunctions:Batches:MaxLabelBytes", "1")]
    [InlineData("DiffusionFunctions:Batches:RequestsContainer", "Batch_Requests")]
    [InlineData("DiffusionFunctions:Batches:RequestsEventsQueue", "q")]
    public void A_bad_workflow_or_batch_setting_stops_start_up_naming_the_setting(string setting, string value)
    {
        using var services = CoreTestServices.Build(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true", [setting] = value });

        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
        {
            _ = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.Extensions.Options.IOptions<WorkflowOptions>>(services).Value;
            _ = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.Extensions.Options.IOptions<Core.Workflows.Batches.BatchOptions>>(services).Value;
        });
        Assert.Contains(setting, ex.Message, StringComparison.Ordinal);
    }
}
