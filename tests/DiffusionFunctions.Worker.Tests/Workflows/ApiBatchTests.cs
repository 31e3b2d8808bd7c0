using System.Security.Cryptography;
using System.Text.Json;
using Azure.Messaging;
using DiffusionFunctions.Api.Batches;
using DiffusionFunctions.Api.Functions;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Notifications;
using DiffusionFunctions.Core.Workflows;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker.Tests.Infrastructure;
using DiffusionFunctions.Worker.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using static DiffusionFunctions.Worker.Tests.Workflows.BatchTestKit;

namespace DiffusionFunctions.Worker.Tests.Workflows;

/// <summary>
/// Batches through the API's functions on Azurite with the shipped tiny-shapes model on CPU, the worker driven by the
/// in-process queue listener (the host's queue semantics), the completion webhook received by a real listener.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApiBatchTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_50_item_batch_yields_a_50_line_manifest_with_labels_and_hashes_one_completion_event_and_one_signed_webhook()
    {
        await using var hook = await RecordingHttpServer.StartAsync();
        await using var host = await StartAsync(azurite);
        var callback = new Uri(hook.BaseAddress, "hooks/batch").AbsoluteUri;
        var body = $$"""{"callbackUrl":"{{callback}}","items":[{{string.Join(",", Enumerable.Range(0, 50).Select(i => Item(i)))}}]}""";

        var accepted = Assert.IsType<AcceptedResult>(await SubmitAsync(host, body));
        var batch = Assert.IsType<BatchResource>(accepted.Value);
        Assert.Equal($"https://localhost:7071/api/batches/{batch.Id}", accepted.Location);
        Assert.Equal("running", batch.Status);
        Assert.Equal(50, batch.Counts.Total);
        Assert.Equal(50, batch.Items.Count);
        Assert.Empty(batch.Refused);

        await using (RunListener(host))
        {
            await WaitForFinalAsync(host, batch.Id, TimeSpan.FromMinutes(3));
        }

        var finished = await GetAsync(host, batch.Id);
        Assert.Equal("completed", finished.Status);
        Assert.Equal(new BatchCountsResource(50, 0, 0, 50, 0, 0, 0), finished.Counts);
        Assert.Equal(1.0, finished.Progress);
        Assert.NotNull(finished.ManifestUrl);
        Assert.Contains("sig=", finished.ManifestUrl, StringComparison.Ordinal); // a read-only SAS URL, like result URLs

        // The manifest, read through the short-lived URL as a client would: one line per image, in item order.
        using var http = new HttpClient();
        var manifestText = await http.GetStringAsync(new Uri(finished.ManifestUrl!));
        var lines = manifestText.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(50, lines.Count);
        for (var i = 0; i < 50; i++)
        {
            var line = lines[i];
            var item = JsonDocument.Parse(Item(i)).RootElement;
            Assert.Equal(i, line.GetProperty("item").GetInt32());
            Assert.Equal(WorkflowIds.JobIdFor(batch.Id, i), line.GetProperty("jobId").GetString());
            Assert.Equal(item.GetProperty("prompt").GetString(), line.GetProperty("prompt").GetString());
            Assert.Equal(1000 + i, line.GetProperty("seed").GetInt64());
            Assert.Equal(64, line.GetProperty("parameters").GetProperty("width").GetInt32());
            Assert.Equal(2, line.GetProperty("parameters").GetProperty("steps").GetInt32());
            Assert.Equal(Labels(i), JsonSerializer.Serialize(line.GetProperty("labels")));
            var blob = line.GetProperty("blob").GetString()!;
            Assert.Equal($"{WorkflowIds.JobIdFor(batch.Id, i)}/0.png", blob);
            if (i % 10 == 0)
            {
                var bytes = (await host.ResultsContainer.GetBlobClient(blob).DownloadContentAsync()).Value.Content.ToArray();
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), line.GetProperty("sha256").GetString());
            }
        }

        // One completion event among the 50 job events, pointing at the manifest; one signed webhook with the same event.
        var events = await DrainEventsAsync(host);
        Assert.Equal(50, events.Count(e => e.Type == GenerationEventTypes.Succeeded));
        var completed = Assert.Single(events, e => e.Type.StartsWith("DiffusionFunctions.Workflow.", StringComparison.Ordinal));
        Assert.Equal(WorkflowEventTypes.Completed, completed.Type);
        Assert.Equal($"workflows/batch/{batch.Id}", completed.Subject);
        var data = JsonDocument.Parse(completed.Data!.ToString()).RootElement;
        Assert.Equal(batch.Id, data.GetProperty("runId").GetString());
        Assert.Equal("completed", data.GetProperty("status").GetString());
        Assert.Equal(50, data.GetProperty("counts").GetProperty("succeeded").GetInt32());
        Assert.EndsWith($"/batches/{batch.Id}/manifest.jsonl", data.GetProperty("manifestUrl").GetString(), StringComparison.Ordinal);

        var delivery = Assert.Single(await hook.WaitForRequestsAsync(1, TimeSpan.FromSeconds(10)));
        Assert.True(WebhookSignature.Verify(
            WebhookSecret.Parse(WorkerTestHost.WebhookSecret), delivery.Headers[WebhookSignature.IdHeader], delivery.Headers[WebhookSignature.TimestampHeader],
            delivery.Headers[WebhookSignature.SignatureHeader], delivery.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.Equal(completed.Id, CloudEvent.Parse(BinaryData.FromBytes(delivery.Body))!.Id);
    }

    [Fact]
    public async Task A_blocked_prompt_item_is_refused_and_reported_item_by_item_while_the_rest_succeed()
    {
        await using var host = await StartAsync(azurite);
        var items = Enumerable.Range(0, 5).Select(i => i == 2 ? Item(i, "a red star and a nazi symbol") : Item(i)).ToList();
        items.Add("""{"prompt":"a blue circle","steps":0,"labels":{"sku":"bad-steps"}}""");
        var accepted = Assert.IsType<AcceptedResult>(await SubmitAsync(host, $$"""{"items":[{{string.Join(",", items)}}]}"""));
        var batch = Assert.IsType<BatchResource>(accepted.Value);
        Assert.Equal([2, 5], batch.Refused.Select(r => r.Item));
        Assert.Equal("https://diffusionfunctions.dev/problems/policy-violation", batch.Refused[0].Problem.Type);
        Assert.Equal(422, batch.Refused[0].Problem.Status);
        Assert.Equal("https://diffusionfunctions.dev/problems/validation", batch.Refused[1].Problem.Type);
        Assert.Contains("steps", batch.Refused[1].Problem.Errors!.Keys);
        Assert.Equal(2, batch.Counts.Refused);

        await using (RunListener(host))
        {
            var state = await WaitForFinalAsync(host, batch.Id, TimeSpan.FromMinutes(2));
            Assert.Equal(WorkflowRunStatus.Completed, state.Status);
            Assert.Equal(4, (await ReadManifestAsync(host, state)).Count);
            var summary = await ReadSummaryAsync(host, state);
            Assert.Equal(4, summary.GetProperty("counts").GetProperty("succeeded").GetInt32());
            Assert.Equal(2, summary.GetProperty("counts").GetProperty("refused").GetInt32());
            var problems = summary.GetProperty("problems").EnumerateArray().ToList();
            Assert.Equal([2, 5], problems.Select(p => p.GetProperty("item").GetInt32()));
            Assert.Equal("refused", problems[0].GetProperty("status").GetString());
            Assert.Equal("https://diffusionfunctions.dev/problems/policy-violation", problems[0].GetProperty("problem").GetProperty("type").GetString());
            Assert.Equal("""{"sku":"bad-steps"}""", JsonSerializer.Serialize(problems[1].GetProperty("labels")));
        }

        Assert.Equal(4, await CountJobRecordsAsync(host)); // refused items made no job
    }

    [Fact]
    public async Task A_batch_whose_every_item_is_refused_is_a_422_that_creates_nothing()
    {
        await using var host = await StartAsync(azurite);
        var result = Assert.IsType<ObjectResult>(await SubmitAsync(host, """{"items":[{"prompt":"a nazi flag"},{"prompt":""}]}"""));
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, result.StatusCode);
        var problem = Assert.IsType<ProblemDetails>(result.Value);
        Assert.Equal("https://diffusionfunctions.dev/problems/batch-refused", problem.Type);
        Assert.Equal(2, ((Array)problem.Extensions["items"]!).Length);
        Assert.Equal(0, await CountJobRecordsAsync(host));

        var empty = Assert.IsType<ObjectResult>(await SubmitAsync(host, """{"items":[]}"""));
        Assert.Equal(StatusCodes.Status400BadRequest, empty.StatusCode);
        var unknown = Assert.IsType<ObjectResult>(await SubmitAsync(host, """{"items":[{"prompt":"a red star"}],"priority":1}"""));
        Assert.Equal(StatusCodes.Status400BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task Cancelling_mid_batch_leaves_no_queued_or_running_job_and_ends_the_batch_cancelled_with_one_failed_event()
    {
        var gate = new StepGate(blockAtStep: 1);
        await using var host = await StartAsync(
            azurite,
            new() { ["DiffusionFunctions:Workflows:MaxInFlightPerRun"] = "2" },
            services => services.AddSingleton<DiffusionFunctions.Worker.Processing.IGenerationStepListener>(gate));
        var body = $$"""{"items":[{{string.Join(",", Enumerable.Range(0, 12).Select(i => Item(i)))}}]}""";
        var batch = Assert.IsType<BatchResource>(Assert.IsType<AcceptedResult>(await SubmitAsync(host, body)).Value);

        await using (RunListener(host))
        {
            var runningJob = await gate.Reached.WaitAsync(TimeSpan.FromMinutes(1)); // the first item is running, held at step 1
            var during = await GetAsync(host, batch.Id);
            Assert.Equal(1, during.Counts.Running);
            Assert.Equal(11, during.Counts.Queued);

            var cancel = await host.CreateApi<CancelBatchFunction>().CancelBatch(HttpRequestBuilder.Delete("/api/batches/" + batch.Id).Build(), batch.Id, CancellationToken.None);
            Assert.Equal(StatusCodes.Status202Accepted, Assert.IsType<ObjectResult>(cancel).StatusCode);

            var state = await WaitForFinalAsync(host, batch.Id, TimeSpan.FromMinutes(1));
            Assert.Equal(WorkflowRunStatus.Cancelled, state.Status);
            Assert.Equal(JobStatus.Cancelled, (await host.Jobs.GetAsync(runningJob))!.Status);
        }

        var jobs = host.Jobs;
        for (var i = 0; i < 12; i++)
        {
            var job = await jobs.GetAsync(WorkflowIds.JobIdFor(batch.Id, i));
            Assert.True(job!.Status.IsFinal(), $"Item {i}'s job is {job.Status} after the batch was cancelled.");
        }

        var finished = await GetAsync(host, batch.Id);
        Assert.Equal("cancelled", finished.Status);
        Assert.Equal(12, finished.Counts.Cancelled);
        var workflowEvent = Assert.Single(await DrainEventsAsync(host), e => e.Type.StartsWith("DiffusionFunctions.Workflow.", StringComparison.Ordinal));
        Assert.Equal(WorkflowEventTypes.Failed, workflowEvent.Type);
        Assert.Equal("cancelled", JsonDocument.Parse(workflowEvent.Data!.ToString()).RootElement.GetProperty("status").GetString());

        var again = Assert.IsType<ObjectResult>(await host.CreateApi<CancelBatchFunction>().CancelBatch(HttpRequestBuilder.Delete("/api/batches/" + batch.Id).Build(), batch.Id, CancellationToken.None));
        Assert.Equal(StatusCodes.Status409Conflict, again.StatusCode);
    }
}
