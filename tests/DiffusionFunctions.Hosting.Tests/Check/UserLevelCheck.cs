using System.Diagnostics;
using System.Net;
using Azure.Storage.Queues;
using DiffusionFunctions.Core.Notifications;
using DiffusionFunctions.Worker.Processing;

namespace DiffusionFunctions.Hosting.Tests.Check;

/// <summary>
/// The one user-level check of both function apps, whatever hosts them (the real Functions host in CI, the in-process
/// host of the local run): everything is done as a client does it, over HTTP with the key, plus the storage a deployment
/// shares (result URLs, the events queue, and bad messages put straight on the queues). Steps, in order:
/// <list type="number">
/// <item>health answers 200 <c>healthy</c>;</item>
/// <item>submit, read and cancel without a key, and with a key the host never issued, are 401 (skipped, and said so,
/// for a host that does not check keys);</item>
/// <item>a job whose result write storage refuses (<see cref="JobFailingUntilPoisoned"/>) is enqueued, to be checked later;</item>
/// <item>a submission with the key is 202 with <c>Location</c>; the job is polled to <c>succeeded</c>, its PNG downloaded
/// through the SAS URL with no key (64x64, <c>image/png</c>) and its Succeeded event read;</item>
/// <item>a blocked prompt is 422 <c>application/problem+json</c> of type <c>policy-violation</c>;</item>
/// <item>a long job is cancelled (200 at once, or 202 while running) and ends <c>cancelled</c> with no images and its event;</item>
/// <item>an unknown job id is 404 <c>not-found</c> for GET and DELETE;</item>
/// <item>a 3-item batch with one blocked item through <c>POST /api/batches</c>, and a 2-line JSONL upload whose
/// BlobCreated event (Event Grid schema) is put on the batch queue twice, each complete with a manifest of their images
/// and exactly one <c>Workflow.Completed</c> event;</item>
/// <item>the job of step 3 ends <c>failed</c> (<c>retries-exhausted</c>) with its Failed event;</item>
/// <item>bad messages go straight on both queues (<see cref="QueueFaultInjection"/>); a job submitted after them still
/// succeeds, each of them reaches its documented terminal state, and health is still 200.</item>
/// </list>
/// </summary>
public sealed class UserLevelCheck(FunctionAppsUnderTest apps, HttpClient http, Action<string> log)
{
    /// <summary>A prompt the shipped model draws (and no policy blocks).</summary>
    private const string DrawablePrompt = "a yellow star on a blue background";

    /// <summary>A prompt the default blocked-term policy refuses (violence: "gore").</summary>
    private const string BlockedPrompt = "a battlefield full of gore";

    /// <summary>
    /// The shipped tiny-shapes model's native size, sent explicitly: the hosts' default sizes differ (the API's sample
    /// settings say 64, the in-process run's settings leave the API default of 512).
    /// </summary>
    private const int ModelSize = 64;

    private const string ProblemJson = "application/problem+json";
    private const string ProblemTypeBase = "https://diffusionfunctions.dev/problems/";

    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(15);

    private readonly GenerationsApiClient _api = new(http, apps.BaseAddress, apps.FunctionKey);
    private readonly GenerationEventsQueue _events = new(new QueueClient(
        apps.Storage.ConnectionString, apps.Storage.EventsQueue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }));

    /// <summary>Runs every step; the first failed assertion ends it.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await Step("health", () => HealthIsHealthyAsync(cancellationToken));
        if (apps.FunctionKey is null)
        {
            log("check: function keys: SKIPPED, this host does not check keys (the in-process host of the local run)");
        }
        else
        {
            await Step("function keys", () => KeysAreRequiredAsync(apps.FunctionKey, cancellationToken));
        }

        JobFailingUntilPoisoned? poisoned = null;
        try
        {
            await Step("enqueue a job whose result write storage refuses", async () =>
                poisoned = await JobFailingUntilPoisoned.EnqueueAsync(apps.Storage, cancellationToken));
            await Step("submit, poll to succeeded, download the PNG", () => SubmittedJobSucceedsAsync(cancellationToken));
            await Step("blocked prompt", () => BlockedPromptIsRefusedAsync(cancellationToken));
            await Step("cancel", () => CancelledJobEndsCancelledAsync(cancellationToken));
            await Step("unknown id", () => UnknownJobIsNotFoundAsync(cancellationToken));
            await Step("batch through the API and a JSONL upload event", () => BatchesCompleteWithManifestsAndOneEventEachAsync(cancellationToken));
            await Step("poisoned message", () => PoisonedJobFailsAsync(poisoned!.JobId, cancellationToken));
        }
        finally
        {
            if (poisoned is not null)
            {
                await poisoned.DisposeAsync();
            }
        }

        await Step("fault-injection messages", () => FaultsReachTheirTerminalStatesAsync(cancellationToken));
        await Step("health after everything", () => HealthIsHealthyAsync(cancellationToken));
    }

    private async Task Step(string name, Func<Task> step)
    {
        var watch = Stopwatch.StartNew();
        await step();
        log($"check: {name}: ok ({watch.Elapsed.TotalSeconds:0.0} s)");
    }

    private async Task HealthIsHealthyAsync(CancellationToken cancellationToken)
    {
        var health = await _api.HealthAsync(cancellationToken);
        Assert.True(health.Status == HttpStatusCode.OK, $"GET /api/health: {(int)health.Status} {health.Text}");
        Assert.Equal("healthy", (string?)health.Body!["status"]);
    }

    private async Task KeysAreRequiredAsync(string functionKey, CancellationToken cancellationToken)
    {
        Assert.False(string.IsNullOrWhiteSpace(functionKey));
        var anyId = Guid.NewGuid().ToString("N");
        foreach (var key in new[] { GenerationsApiClient.KeyUse.None, GenerationsApiClient.KeyUse.Wrong })
        {
            var refused = await _api.SubmitAsync(new { prompt = DrawablePrompt, steps = 2 }, cancellationToken, key);
            Assert.True(refused.Status == HttpStatusCode.Unauthorized, $"POST /api/generations with key '{key}': {(int)refused.Status} {refused.Text}");
            // Refused before the function runs: 401, not the 404 the function would give an unknown id.
            var read = await _api.GetAsync(anyId, cancellationToken, key);
            Assert.True(read.Status == HttpStatusCode.Unauthorized, $"GET /api/generations/{{id}} with key '{key}': {(int)read.Status} {read.Text}");
            var cancel = await _api.CancelAsync(anyId, cancellationToken, key);
            Assert.True(cancel.Status == HttpStatusCode.Unauthorized, $"DELETE /api/generations/{{id}} with key '{key}': {(int)cancel.Status} {cancel.Text}");
        }
    }

    private async Task SubmittedJobSucceedsAsync(CancellationToken cancellationToken)
    {
        var jobId = await SubmitAsync(new { prompt = DrawablePrompt, width = ModelSize, height = ModelSize, steps = 10, seed = 1 }, cancellationToken);
        var job = await _api.WaitForStatusAsync(jobId, "succeeded", JobTimeout, cancellationToken);
        log($"check: job {jobId}: created {job["createdAt"]}, started {job["startedAt"]}, finished {job["finishedAt"]}");
        var results = job["results"]!.AsArray();
        var url = (string?)Assert.Single(results);
        Assert.NotNull(url);
        Assert.Contains("sig=", url, StringComparison.Ordinal); // a SAS URL: readable without the account key

        using var download = await http.GetAsync(new Uri(url), cancellationToken);
        Assert.True(download.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)download.StatusCode}");
        Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
        var size = PngImageHeader.ReadSize(await download.Content.ReadAsByteArrayAsync(cancellationToken));
        Assert.Equal((ModelSize, ModelSize), size);

        var succeeded = await _events.WaitForAsync(jobId, GenerationEventTypes.Succeeded, EventTimeout, cancellationToken);
        Assert.Equal("succeeded", (string?)succeeded["data"]!["status"]);
    }

    private async Task BlockedPromptIsRefusedAsync(CancellationToken cancellationToken)
    {
        var refused = await _api.SubmitAsync(new { prompt = BlockedPrompt }, cancellationToken);
        AssertProblem(refused, HttpStatusCode.UnprocessableEntity, "policy-violation");
    }

    private async Task CancelledJobEndsCancelledAsync(CancellationToken cancellationToken)
    {
        // 150 steps x 4 images: seconds of work, so the DELETE finds it queued (200) or running (202), never finished.
        var jobId = await SubmitAsync(new { prompt = DrawablePrompt, width = ModelSize, height = ModelSize, steps = 150, count = 4 }, cancellationToken);
        var cancel = await _api.CancelAsync(jobId, cancellationToken);
        Assert.True(
            cancel.Status is HttpStatusCode.OK or HttpStatusCode.Accepted,
            $"DELETE of a queued or running job: {(int)cancel.Status} {cancel.Text}");
        if (cancel.Status == HttpStatusCode.Accepted)
        {
            Assert.True((bool?)cancel.Body!["cancelRequested"], cancel.Text);
        }

        var job = await _api.WaitForStatusAsync(jobId, "cancelled", JobTimeout, cancellationToken);
        Assert.Empty(job["results"]!.AsArray());
        var again = await _api.CancelAsync(jobId, cancellationToken);
        Assert.True(again.Status == HttpStatusCode.OK, $"A second DELETE (idempotent): {(int)again.Status} {again.Text}");
        await _events.WaitForAsync(jobId, GenerationEventTypes.Cancelled, EventTimeout, cancellationToken);
    }

    private async Task UnknownJobIsNotFoundAsync(CancellationToken cancellationToken)
    {
        var unknown = Guid.NewGuid().ToString("N");
        AssertProblem(await _api.GetAsync(unknown, cancellationToken), HttpStatusCode.NotFound, "not-found");
        AssertProblem(await _api.CancelAsync(unknown, cancellationToken), HttpStatusCode.NotFound, "not-found");
    }

    private async Task BatchesCompleteWithManifestsAndOneEventEachAsync(CancellationToken cancellationToken)
    {
        var item = (int i) => new { prompt = DrawablePrompt, width = ModelSize, height = ModelSize, steps = 4, seed = i, labels = new { n = i } };
        var accepted = await _api.SubmitBatchAsync(new { items = new object[] { item(1), new { prompt = BlockedPrompt, labels = new { n = 2 } }, item(3) } }, cancellationToken);
        Assert.True(accepted.Status == HttpStatusCode.Accepted, $"POST /api/batches: {(int)accepted.Status} {accepted.Text}");
        var batchId = (string)accepted.Body!["id"]!;
        Assert.EndsWith("/api/batches/" + batchId, accepted.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, (int?)accepted.Body["counts"]!["refused"]);

        // The upload path as Event Grid delivers it: the blob, then its BlobCreated event on the batch queue, twice.
        var storage = apps.Storage;
        var container = new Azure.Storage.Blobs.BlobContainerClient(storage.ConnectionString, storage.BatchRequestsContainer);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var lines = string.Join('\n', new[] { 4, 5 }.Select(i => System.Text.Json.JsonSerializer.Serialize(item(i))));
        var upload = await container.GetBlobClient("check.jsonl").UploadAsync(BinaryData.FromString(lines), overwrite: true, cancellationToken);
        var created = new Core.Workflows.BlobCreatedEvent { Id = "check", Container = container.Name, BlobName = "check.jsonl", ETag = upload.Value.ETag.ToString() };
        var queue = new QueueClient(storage.ConnectionString, storage.BatchEventsQueue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await queue.SendMessageAsync(created.ToEventGridJson(), cancellationToken);
        await queue.SendMessageAsync(created.ToEventGridJson(), cancellationToken);
        var uploadId = Core.Workflows.WorkflowIds.RunIdForUpload("batch", container.Name, "check.jsonl", created.ETag);

        foreach (var (id, images) in new[] { (batchId, 2), (uploadId, 2) })
        {
            var batch = await WaitForBatchOrUploadAsync(id, cancellationToken);
            Assert.Equal("completed", (string?)batch["status"]);
            var manifest = await http.GetStringAsync(new Uri((string)batch["manifestUrl"]!), cancellationToken);
            Assert.Equal(images, manifest.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            await _events.WaitForAsync(id, Core.Notifications.WorkflowEventTypes.Completed, EventTimeout, cancellationToken, Core.Notifications.WorkflowEventTypes.SubjectFor("batch", id));
        }
    }

    /// <summary>Polls the batch; an upload's batch answers 404 until the worker has started it.</summary>
    private async Task<System.Text.Json.Nodes.JsonNode> WaitForBatchOrUploadAsync(string id, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + JobTimeout;
        while (true)
        {
            try
            {
                return await _api.WaitForBatchAsync(id, JobTimeout, cancellationToken);
            }
            catch (Xunit.Sdk.XunitException) when (DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(250, cancellationToken);
            }
        }
    }

    private async Task PoisonedJobFailsAsync(string jobId, CancellationToken cancellationToken)
    {
        // Three deliveries (host.json maxDequeueCount), each a moment of generation, with the redelivery wait between them.
        var timeout = JobTimeout + 3 * apps.PoisonRedeliveryWait;
        var job = await _api.WaitForStatusAsync(jobId, "failed", timeout, cancellationToken);
        Assert.Equal(JobErrorCodes.RetriesExhausted, (string?)job["error"]!["code"]);
        Assert.Empty(job["results"]!.AsArray());
        var failed = await _events.WaitForAsync(jobId, GenerationEventTypes.Failed, EventTimeout, cancellationToken);
        Assert.Equal(JobErrorCodes.RetriesExhausted, (string?)failed["data"]!["error"]!["code"]);
    }

    private async Task FaultsReachTheirTerminalStatesAsync(CancellationToken cancellationToken)
    {
        var faults = new QueueFaultInjection(apps.Storage);
        await faults.InjectAsync(cancellationToken);

        var jobId = await SubmitAsync(new { prompt = DrawablePrompt, width = ModelSize, height = ModelSize, steps = 4, seed = 2 }, cancellationToken);
        await _api.WaitForStatusAsync(jobId, "succeeded", JobTimeout, cancellationToken);
        await faults.WaitForTerminalStatesAsync(apps.UndecodablePoisonMessages, JobTimeout, cancellationToken);
    }

    /// <summary>Submits with the key; asserts 202, <c>Location</c> and status <c>queued</c>; returns the job id.</summary>
    private async Task<string> SubmitAsync(object request, CancellationToken cancellationToken)
    {
        var accepted = await _api.SubmitAsync(request, cancellationToken);
        Assert.True(accepted.Status == HttpStatusCode.Accepted, $"POST /api/generations: {(int)accepted.Status} {accepted.Text}");
        var jobId = (string?)accepted.Body!["id"];
        Assert.False(string.IsNullOrEmpty(jobId), accepted.Text);
        Assert.Equal("queued", (string?)accepted.Body["status"]);
        Assert.NotNull(accepted.Location);
        Assert.EndsWith("/api/generations/" + jobId, accepted.Location!.ToString(), StringComparison.Ordinal);
        return jobId!;
    }

    private static void AssertProblem(GenerationsApiClient.Answer answer, HttpStatusCode status, string type)
    {
        Assert.True(answer.Status == status, $"Expected {(int)status} {type}, got {(int)answer.Status} {answer.Text}");
        Assert.Equal(ProblemJson, answer.ContentType);
        Assert.Equal(ProblemTypeBase + type, (string?)answer.Body!["type"]);
        Assert.Equal((int)status, (int?)answer.Body["status"]);
    }
}
