using System.Text;
using System.Text.Json;
using DiffusionFunctions.Core;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Logos;
using DiffusionFunctions.Core.Notifications;
using DiffusionFunctions.Core.Problems;
using DiffusionFunctions.Core.Workflows;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker.Functions;
using DiffusionFunctions.Worker.Logos;
using DiffusionFunctions.Worker.Processing;
using DiffusionFunctions.Worker.Tests.Infrastructure;
using DiffusionFunctions.Worker.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace DiffusionFunctions.Worker.Tests.Logos;

/// <summary>
/// Logos on upload, end to end on Azurite and a tiny generated model on CPU: an upload to the logo-requests container and
/// its BlobCreated event (Event Grid schema) on the logo events queue, the worker's queue functions driven by the in-process
/// listener, the run's jobs, logos, manifest, one completion CloudEvent in the events queue and one signed webhook on a
/// real 127.0.0.1 listener. What the logos show is checked on the shipped model in Training.Tests (LogoSemanticTests).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LogoRunTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    // The webhook receivers are plain-http listeners on 127.0.0.1.
    private static readonly Dictionary<string, string?> InsecureCallbacks = new() { ["DiffusionFunctions:Generation:AllowInsecureCallbacks"] = "true" };

    private static string Brief(string? callback = null, int count = 3, string extra = "")
        => $$"""{"brand":"Acme","colors":["red","white"],"shapes":["star","heart"],"count":{{count}},"seed":11,"width":64,"height":64,"steps":3{{(callback is null ? "" : $",\"callbackUrl\":\"{callback}\"")}}{{extra}}}""";

    [Fact]
    public async Task A_brief_upload_makes_its_logos_then_the_manifest_then_one_completed_event_and_one_signed_webhook()
    {
        await using var hook = await RecordingHttpServer.StartAsync();
        await using var host = await WorkerTestHost.StartAsync(azurite, InsecureCallbacks);
        var callback = new Uri(hook.BaseAddress, "hooks/logos").AbsoluteUri;
        var upload = await host.UploadBriefAsync("briefs/acme.json", Brief(callback));

        await host.DriveUntilAsync(async () => (await host.WorkflowEventsAsync()).Count > 0, Timeout);

        var completed = Assert.Single(await host.WorkflowEventsAsync());
        Assert.True(WorkflowEventTypes.Completed == completed.Type, (await host.ResultAsync("logos/briefs/acme/manifest.json"))?.ToString());
        var data = LogoUploads.Data(completed);
        var etag = (await upload.GetPropertiesAsync()).Value.ETag.ToString();
        Assert.Equal(WorkflowIds.RunIdForUpload("logo", host.Names.LogoRequestsContainer, "briefs/acme.json", etag), data.RunId);
        Assert.Equal(("logo", WorkflowRunStatus.Completed, 3), (data.Kind, data.Status, data.Counts.Succeeded));
        Assert.Equal(host.ResultsContainer.GetBlobClient("logos/briefs/acme/manifest.json").Uri.AbsoluteUri, data.ManifestUrl);

        var manifest = JsonDocument.Parse((await host.ResultAsync("logos/briefs/acme/manifest.json"))!.ToString()).RootElement;
        Assert.Equal("completed", manifest.GetProperty("status").GetString());
        var briefBytes = Encoding.UTF8.GetBytes(Brief(callback));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(briefBytes)), manifest.GetProperty("brief").GetProperty("hash").GetString());
        var logos = manifest.GetProperty("logos").EnumerateArray().ToList();
        Assert.Equal(3, logos.Count);
        // The generated model folder has no logo_template.json, so the built-in (SD 1.x/2.x) template made the prompts.
        static string Prompt(string shape) => $"flat vector logo of Acme, {shape}, red and white colour palette, minimal, bold geometric shapes, plain white background, centred, simple, high contrast";
        string[] prompts = [Prompt("star"), Prompt("heart"), Prompt("star")];
        for (var i = 0; i < 3; i++)
        {
            var logo = logos[i];
            var jobId = logo.GetProperty("jobId").GetString()!;
            Assert.Equal(WorkflowIds.JobIdFor(data.RunId, i), jobId);
            Assert.Equal((i, "succeeded", 11L + i), (logo.GetProperty("index").GetInt32(), logo.GetProperty("status").GetString(), logo.GetProperty("seed").GetInt64()));
            Assert.Equal($"logos/briefs/acme/{i}.png", logo.GetProperty("blob").GetString());
            Assert.Equal(host.ResultsContainer.GetBlobClient($"logos/briefs/acme/{i}.png").Uri.AbsoluteUri, logo.GetProperty("url").GetString());
            Assert.Equal(3, logo.GetProperty("parameters").GetProperty("steps").GetInt32());
            Assert.StartsWith("photo, photograph", logo.GetProperty("parameters").GetProperty("negativePrompt").GetString(), StringComparison.Ordinal);

            // The logo is the job's own image, byte for byte, and the job ran the prompt the template made.
            var job = (await host.Jobs.GetAsync(jobId))!;
            Assert.Equal((JobStatus.Succeeded, (string?)null), (job.Status, job.Parameters.CallbackUrl));
            Assert.Equal(job.Parameters.Prompt, logo.GetProperty("prompt").GetString());
            Assert.Equal(prompts[i], job.Parameters.Prompt);
            Assert.Equal((await host.ResultAsync(job.Results[0]))!.ToArray(), (await host.ResultAsync($"logos/briefs/acme/{i}.png"))!.ToArray());
        }

        // One signed webhook with the same CloudEvent (its id is the run's event id, so receivers can de-duplicate).
        var delivered = Assert.Single(await hook.WaitForRequestsAsync(1, TimeSpan.FromSeconds(30)));
        Assert.Equal("/hooks/logos", delivered.PathAndQuery);
        Assert.True(WebhookSignature.Verify(
            WebhookSecret.Parse(WorkerTestHost.WebhookSecret), delivered.Headers[WebhookSignature.IdHeader], delivered.Headers[WebhookSignature.TimestampHeader],
            delivered.Headers[WebhookSignature.SignatureHeader], delivered.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.Equal(completed.Id, delivered.Headers[WebhookSignature.IdHeader]);
        Assert.Equal(WorkflowEventTypes.Completed, JsonDocument.Parse(delivered.Body).RootElement.GetProperty("type").GetString());

        // Exactly the run's jobs and nothing else in the queues.
        Assert.Equal(3, (await host.JobsAsync()).Count);
        Assert.Empty((await host.GenerationQueue.PeekMessagesAsync()).Value);
        Assert.Empty((await host.LogoEvents().PeekMessagesAsync()).Value);
    }

    [Fact]
    public async Task The_same_upload_delivered_twice_makes_one_set_of_jobs_and_one_completion_event()
    {
        await using var host = await WorkerTestHost.StartAsync(azurite);
        var upload = await host.UploadBriefAsync("twice.json", Brief(count: 2));
        await BlobCreatedEventPublisher.PublishAsync(upload, host.LogoEvents(), CancellationToken.None); // the duplicate

        await host.DriveUntilAsync(async () => (await host.WorkflowEventsAsync()).Count > 0 && (await host.LogoEvents().PeekMessagesAsync()).Value.Length == 0, Timeout);

        Assert.Equal(2, (await host.JobsAsync()).Count);
        Assert.Single(await host.WorkflowEventsAsync());
        Assert.Empty((await host.GenerationQueue.PeekMessagesAsync()).Value);

        // A third delivery after completion still creates nothing and sends nothing.
        await BlobCreatedEventPublisher.PublishAsync(upload, host.LogoEvents(), CancellationToken.None);
        await host.DriveUntilAsync(async () => (await host.LogoEvents().PeekMessagesAsync()).Value.Length == 0, Timeout);
        Assert.Equal(2, (await host.JobsAsync()).Count);
        Assert.Single(await host.WorkflowEventsAsync());

        // A changed brief under the same name is a new upload (new ETag): a new run, with its own jobs and event.
        await host.UploadBriefAsync("twice.json", Brief(count: 1));
        await host.DriveUntilAsync(async () => (await host.WorkflowEventsAsync()).Count == 2, Timeout);
        Assert.Equal(3, (await host.JobsAsync()).Count);
        var manifest = JsonDocument.Parse((await host.ResultAsync("logos/twice/manifest.json"))!.ToString()).RootElement;
        Assert.Single(manifest.GetProperty("logos").EnumerateArray()); // the newer run's manifest replaced the older one
    }

    [Fact]
    public async Task A_worker_killed_mid_run_completes_the_run_once_after_redelivery()
    {
        var gate = new StepGate(blockAtStep: 2);
        await using var host = await WorkerTestHost.StartAsync(azurite, configure: s => s.AddSingleton<IGenerationStepListener>(gate));
        var upload = await host.UploadBriefAsync("killed.json", Brief(count: 2));

        // The logo event starts the run (its jobs are queued by the workflow core's feeder).
        var logoEvent = await WorkerTestHost.ReceiveAsync(host.LogoEvents(), TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10));
        await host.Create<ProcessLogoUploadFunction>().HandleAsync(logoEvent, CancellationToken.None);
        await host.LogoEvents().DeleteMessageAsync(logoEvent.MessageId, logoEvent.PopReceipt);

        // The first job's delivery dies at step 2 (its host token is cancelled) and never deletes its message.
        var first = await host.ReceiveGenerationAsync(visibility: TimeSpan.FromSeconds(2));
        using var dying = new CancellationTokenSource();
        var running = host.Create<ProcessGenerationFunction>().ProcessGeneration(first, dying.Token);
        await gate.Reached.WaitAsync(TimeSpan.FromSeconds(60));
        await dying.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Empty(await host.WorkflowEventsAsync());

        // The same logo event delivered again (Event Grid retries too) changes nothing; the rest runs to the end.
        await BlobCreatedEventPublisher.PublishAsync(upload, host.LogoEvents(), CancellationToken.None);
        await host.DriveUntilAsync(async () => (await host.WorkflowEventsAsync()).Count > 0 && (await host.GenerationQueue.PeekMessagesAsync()).Value.Length == 0, Timeout);

        var completed = Assert.Single(await host.WorkflowEventsAsync());
        Assert.Equal(WorkflowEventTypes.Completed, completed.Type);
        var jobs = (await host.JobsAsync()).Where(j => j.Workflow?.RunId == LogoUploads.Data(completed).RunId).ToList();
        Assert.Equal(2, jobs.Count);
        Assert.All(jobs, j => Assert.Equal(JobStatus.Succeeded, j.Status));
        Assert.Contains(jobs, j => j.Attempts == 2); // the killed job ran again after its message reappeared
    }

    [Fact]
    public async Task A_brief_with_a_blocked_term_is_refused_with_problem_details_and_one_failed_event_and_no_job()
    {
        await using var hook = await RecordingHttpServer.StartAsync();
        await using var host = await WorkerTestHost.StartAsync(azurite, InsecureCallbacks);
        var callback = new Uri(hook.BaseAddress, "hooks/refused").AbsoluteUri;
        await host.UploadBriefAsync("blocked.json", $$"""{"brand":"Gore Industries","colors":["red","white"],"count":2,"callbackUrl":"{{callback}}"}""");

        await host.DriveUntilAsync(async () => (await host.WorkflowEventsAsync()).Count > 0, Timeout);

        var rejection = await RejectionAsync(host, "blocked.json");
        Assert.Equal((ProblemTypeUris.PolicyViolation, 422, "violence"), (rejection.Type, rejection.Status, rejection.Category));
        Assert.Contains("brand", rejection.Detail, StringComparison.Ordinal);
        Assert.Equal(host.Names.LogoRequestsContainer + "/blocked.json", rejection.Instance);

        var failed = Assert.Single(await host.WorkflowEventsAsync());
        Assert.Equal(WorkflowEventTypes.Failed, failed.Type);
        var data = LogoUploads.Data(failed);
        Assert.Equal((WorkflowRunStatus.Failed, 1, "blocked.json.rejected.json"), (data.Status, data.Counts.Refused, data.Properties!["rejected"]));
        Assert.Empty(await host.JobsAsync());
        Assert.Empty((await host.GenerationQueue.PeekMessagesAsync()).Value);

        var delivered = Assert.Single(await hook.WaitForRequestsAsync(1, TimeSpan.FromSeconds(30)));
        Assert.Equal(failed.Id, delivered.Headers[WebhookSignature.IdHeader]);
    }

    [Theory]
    [InlineData("count.json", """{"brand":"Acme","colors":["red"],"count":99}""", "application/json", ProblemTypeUris.Validation, 400, "count")]
    [InlineData("unknown.json", """{"brand":"Acme","colors":["red"],"font":"serif"}""", "application/json", ProblemTypeUris.Validation, 400, "font")]
    [InlineData("broken.json", """{"brand":"Acme",""", "application/json", ProblemTypeUris.MalformedBody, 400, "body")]
    [InlineData("notes.txt", "just some words", "text/plain", ProblemTypeUris.UnsupportedMediaType, 415, "upload")]
    public async Task An_invalid_upload_is_refused_with_problem_details_and_one_failed_event_and_no_job(
        string name, string content, string contentType, string type, int status, string field)
    {
        await using var host = await WorkerTestHost.StartAsync(azurite);
        await host.UploadAsync(name, Encoding.UTF8.GetBytes(content), contentType);

        await host.DriveUntilAsync(async () => (await host.WorkflowEventsAsync()).Count > 0, Timeout);

        var rejection = await RejectionAsync(host, name);
        Assert.Equal((type, status), (rejection.Type, rejection.Status));
        Assert.True(rejection.Field == field || (rejection.Errors?.ContainsKey(field) ?? false), JsonSerializer.Serialize(rejection, DiffusionJson.Options));
        Assert.Equal(WorkflowEventTypes.Failed, Assert.Single(await host.WorkflowEventsAsync()).Type);
        Assert.Empty(await host.JobsAsync());
    }

    [Fact]
    public async Task An_upload_whose_event_failed_every_delivery_is_answered_from_the_poison_queue()
    {
        await using var host = await WorkerTestHost.StartAsync(azurite);
        var upload = await host.UploadBriefAsync("poisoned.json", Brief(count: 1), publish: false);
        // What the host does after maxDequeueCount failed deliveries: the event moves to the poison queue.
        var poison = host.Services.GetRequiredService<Azure.Storage.Queues.QueueServiceClient>().GetQueueClient(host.Names.LogoEventsQueue + "-poison");
        await BlobCreatedEventPublisher.PublishAsync(upload, poison, CancellationToken.None);

        await host.DriveUntilAsync(async () => (await host.WorkflowEventsAsync()).Count > 0, Timeout);

        var rejection = await RejectionAsync(host, "poisoned.json");
        Assert.Equal((ProblemTypeUris.Internal, 500), (rejection.Type, rejection.Status));
        Assert.Contains("upload it again", rejection.Detail, StringComparison.Ordinal);
        Assert.Equal(WorkflowEventTypes.Failed, Assert.Single(await host.WorkflowEventsAsync()).Type);
        Assert.Empty(await host.JobsAsync());
    }

    [Fact]
    public async Task Refusal_blobs_and_sidecar_briefs_start_no_run_of_their_own()
    {
        await using var host = await WorkerTestHost.StartAsync(azurite);
        await host.UploadBriefAsync("x.json.rejected.json", """{"type":"about:blank"}""");
        await host.UploadBriefAsync("sketch.png.json", Brief());

        await host.DriveUntilAsync(async () => (await host.LogoEvents().PeekMessagesAsync()).Value.Length == 0, Timeout);

        Assert.Empty(await host.WorkflowEventsAsync());
        Assert.Empty(await host.JobsAsync());
        Assert.False(await host.Requests().GetBlobClient("sketch.png.json.rejected.json").ExistsAsync());
    }

    private static async Task<LogoRejection> RejectionAsync(WorkerTestHost host, string name)
    {
        var blob = host.Requests().GetBlobClient(LogoUploadNames.RejectedName(name));
        Assert.True(await blob.ExistsAsync(), $"{blob.Name} was not written.");
        var properties = (await blob.GetPropertiesAsync()).Value;
        Assert.Equal("application/problem+json", properties.ContentType);
        return LogoRejection.Parse((await blob.DownloadContentAsync()).Value.Content)!;
    }
}
