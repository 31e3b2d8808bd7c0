using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Messaging;
using DiffusionFunctions.Api.Functions;
using DiffusionFunctions.Api.Resources;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Notifications;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker.Engine;
using DiffusionFunctions.Worker.Functions;
using DiffusionFunctions.Worker.Processing;
using DiffusionFunctions.Worker.Tests.Infrastructure;
using DiffusionFunctions.Worker.Webhooks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace DiffusionFunctions.Worker.Tests.Processing;

/// <summary>
/// The function set end to end on Azurite and a tiny generated model on CPU, through the classes: the API's HTTP function
/// submits, the worker's queue function processes the dequeued message with the real pipeline, receivers are real HTTP
/// listeners on 127.0.0.1.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class EndToEndTests(AzuriteFixture azurite)
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task Submitted_job_produces_png_blobs_a_sas_download_an_event_grid_cloudevent_and_a_signed_webhook()
    {
        await using var topic = await RecordingHttpServer.StartAsync();
        await using var hook = await RecordingHttpServer.StartAsync();
        await using var host = await WorkerTestHost.StartAsync(azurite, new()
        {
            ["DiffusionFunctions:Events:TopicEndpoint"] = new Uri(topic.BaseAddress, "api/events").AbsoluteUri,
            ["DiffusionFunctions:Events:TopicKey"] = "local-topic-key",
            ["DiffusionFunctions:Generation:AllowInsecureCallbacks"] = "true",
        });
        var callback = new Uri(hook.BaseAddress, "hooks/done").AbsoluteUri;

        var jobId = await SubmitAsync(host, $$"""{"prompt":"a lighthouse at dusk","width":64,"height":64,"steps":4,"seed":42,"count":2,"callbackUrl":"{{callback}}"}""");
        var message = await host.ReceiveGenerationAsync();
        Assert.Contains(jobId, message.MessageText, StringComparison.Ordinal);

        var outcome = await host.Create<ProcessGenerationFunction>().ProcessGeneration(message, CancellationToken.None);
        await host.GenerationQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt);

        Assert.Equal(JobProcessingOutcome.Succeeded, outcome);
        Assert.Equal([$"{jobId}/0.png", $"{jobId}/1.png"], (await host.ListResultBlobsAsync()).Order(StringComparer.Ordinal));
        for (var index = 0; index < 2; index++)
        {
            var properties = (await host.ResultsContainer.GetBlobClient($"{jobId}/{index}.png").GetPropertiesAsync()).Value;
            Assert.Equal("image/png", properties.ContentType);
            Assert.Equal("private, max-age=31536000, immutable", properties.CacheControl);
            Assert.Equal(jobId, properties.Metadata["jobId"]);
            Assert.Equal("42", properties.Metadata["seed"]);
            Assert.Equal(index.ToString(CultureInfo.InvariantCulture), properties.Metadata["index"]);
        }

        // The job as the API reports it: succeeded, full progress, result URLs that download the PNGs through a SAS.
        var resource = await GetAsync(host, jobId);
        Assert.Equal("succeeded", resource.Status);
        // Full progress. PNDM (the tiny model's scheduler) runs steps + 1 timesteps, so the total is 4 or 5 depending on
        // whether a bounded-rate progress write landed before the job finished; either way the job ends at its total.
        Assert.Equal(resource.Progress!.TotalSteps, resource.Progress.Step);
        Assert.InRange(resource.Progress.TotalSteps, 4, 5);
        Assert.Equal(2, resource.Results.Count);
        using var http = new HttpClient();
        foreach (var url in resource.Results)
        {
            Assert.Contains("sig=", url, StringComparison.Ordinal);
            var png = await http.GetByteArrayAsync(new Uri(url));
            Assert.Equal(PngSignature, png[..8]);
            Assert.Contains("a lighthouse at dusk", Encoding.Latin1.GetString(png), StringComparison.Ordinal);
        }

        // The Event Grid stand-in got the CloudEvent batch with the topic key.
        var published = Assert.Single(await topic.WaitForRequestsAsync(1, TimeSpan.FromSeconds(10)));
        Assert.StartsWith("/api/events", published.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal("local-topic-key", published.Headers["aeg-sas-key"]);
        Assert.StartsWith("application/cloudevents-batch+json", published.Headers["content-type"], StringComparison.Ordinal);
        var batch = CloudEvent.ParseMany(BinaryData.FromBytes(published.Body));
        var succeeded = Assert.Single(batch);
        AssertSucceededEvent(succeeded, jobId, host);

        // The webhook receiver got the same CloudEvent, signed; it verifies like a receiver would.
        var delivery = Assert.Single(await hook.WaitForRequestsAsync(1, TimeSpan.FromSeconds(10)));
        Assert.True(WebhookSignature.Verify(
            WebhookSecret.Parse(WorkerTestHost.WebhookSecret), delivery.Headers[WebhookSignature.IdHeader], delivery.Headers[WebhookSignature.TimestampHeader],
            delivery.Headers[WebhookSignature.SignatureHeader], delivery.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        var webhookEvent = CloudEvent.Parse(BinaryData.FromBytes(delivery.Body))!;
        AssertSucceededEvent(webhookEvent, jobId, host);
        Assert.Equal(succeeded.Id, webhookEvent.Id);

        // With a topic configured nothing goes to the local events queue.
        Assert.Empty(await host.PeekEventsAsync());
    }

    [Fact]
    public async Task Prompt_syntax_the_engine_cannot_honour_reaches_the_job_as_warnings()
    {
        await using var host = await WorkerTestHost.StartAsync(azurite);

        var jobId = await SubmitAsync(host, """{"prompt":"a red fox <lora:film-grain:0.8>, [snow|rain]","negativePrompt":"16:9 [blurry:ugly:2]","width":64,"height":64,"steps":3,"seed":7}""");
        var outcome = await host.Create<ProcessGenerationFunction>().ProcessGeneration(await host.ReceiveGenerationAsync(), CancellationToken.None);
        var resource = await GetAsync(host, jobId);
        var plain = await SubmitAsync(host, """{"prompt":"a red fox, [snow|rain]","width":64,"height":64,"steps":3,"seed":7}""");
        await host.Create<ProcessGenerationFunction>().ProcessGeneration(await host.ReceiveGenerationAsync(), CancellationToken.None);

        Assert.Equal(JobProcessingOutcome.Succeeded, outcome);
        Assert.Equal(2, resource.Warnings.Count);
        Assert.Contains("<lora:film-grain:0.8>", resource.Warnings[0], StringComparison.Ordinal);
        Assert.Contains("negative prompt", resource.Warnings[1], StringComparison.Ordinal);
        Assert.Empty((await GetAsync(host, plain)).Warnings);
    }

    [Fact]
    public async Task Without_a_topic_the_event_goes_to_the_events_queue_and_a_duplicate_delivery_changes_nothing()
    {
        await using var host = await WorkerTestHost.StartAsync(azurite);
        var jobId = await SubmitAsync(host, """{"prompt":"a red fox in snow","width":64,"height":64,"steps":3,"seed":7}""");
        var first = await host.ReceiveGenerationAsync();
        var function = host.Create<ProcessGenerationFunction>();

        Assert.Equal(JobProcessingOutcome.Succeeded, await function.ProcessGeneration(first, CancellationToken.None));
        var blob = host.ResultsContainer.GetBlobClient($"{jobId}/0.png");
        var etag = (await blob.GetPropertiesAsync()).Value.ETag;

        // The same message delivered again (for example after its delete was lost): it finds the job finished.
        await host.GenerationQueue.SendMessageAsync(first.Body);
        var duplicate = await host.ReceiveGenerationAsync();
        Assert.Equal(JobProcessingOutcome.AlreadyFinished, await function.ProcessGeneration(duplicate, CancellationToken.None));

        Assert.Equal([$"{jobId}/0.png"], await host.ListResultBlobsAsync());
        Assert.Equal(etag, (await blob.GetPropertiesAsync()).Value.ETag);
        var job = await host.Jobs.GetAsync(jobId);
        Assert.Equal(JobStatus.Succeeded, job!.Status);
        Assert.Equal(1, job.Attempts);
        var succeeded = Assert.Single(await host.PeekEventsAsync());
        AssertSucceededEvent(succeeded, jobId, host);
    }

    [Fact]
    public async Task A_worker_killed_mid_job_leaves_the_message_which_reappears_and_completes_exactly_once()
    {
        var gate = new StepGate(blockAtStep: 2);
        await using var host = await WorkerTestHost.StartAsync(azurite, configure: s => s.AddSingleton<IGenerationStepListener>(gate));
        var jobId = await SubmitAsync(host, """{"prompt":"a stone bridge","width":64,"height":64,"steps":5,"seed":3}""");

        // Delivery 1 with a short visibility timeout; the "worker" dies at step 2 (its host token is cancelled) and never deletes the message.
        var lease = TimeSpan.FromSeconds(2);
        var first = await host.ReceiveGenerationAsync(visibility: lease);
        using var dying = new CancellationTokenSource();
        var running = host.Create<ProcessGenerationFunction>().ProcessGeneration(first, dying.Token);
        Assert.Equal(jobId, await gate.Reached.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(JobStatus.Running, (await host.Jobs.GetAsync(jobId))!.Status);
        await dying.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal(JobStatus.Running, (await host.Jobs.GetAsync(jobId))!.Status);
        Assert.Empty(await host.ListResultBlobsAsync());

        // The message reappears after the visibility timeout and a healthy worker completes the job.
        var second = await host.ReceiveGenerationAsync(timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(2, second.DequeueCount);
        Assert.Equal(JobProcessingOutcome.Succeeded, await host.Create<ProcessGenerationFunction>().ProcessGeneration(second, CancellationToken.None));
        await host.GenerationQueue.DeleteMessageAsync(second.MessageId, second.PopReceipt);

        var job = await host.Jobs.GetAsync(jobId);
        Assert.Equal(JobStatus.Succeeded, job!.Status);
        Assert.Equal(2, job.Attempts);
        Assert.Equal([$"{jobId}/0.png"], await host.ListResultBlobsAsync());
        AssertSucceededEvent(Assert.Single(await host.PeekEventsAsync()), jobId, host);
        Assert.Empty((await host.GenerationQueue.PeekMessagesAsync()).Value);
    }

    [Fact]
    public async Task Cancelling_through_the_api_while_running_stops_between_steps_with_no_images()
    {
        var gate = new StepGate(blockAtStep: 2);
        await using var host = await WorkerTestHost.StartAsync(azurite, configure: s => s.AddSingleton<IGenerationStepListener>(gate));
        var jobId = await SubmitAsync(host, """{"prompt":"a field of tulips","width":64,"height":64,"steps":6,"seed":5}""");
        var message = await host.ReceiveGenerationAsync();

        var running = host.Create<ProcessGenerationFunction>().ProcessGeneration(message, CancellationToken.None);
        await gate.Reached.WaitAsync(TimeSpan.FromSeconds(60));
        var cancel = await host.CreateApi<CancelGenerationFunction>().CancelGeneration(
            HttpRequestBuilder.Delete("/api/generations/" + jobId).WithRouteValue("id", jobId).Build(), jobId, CancellationToken.None);
        Assert.Equal(202, Assert.IsType<ObjectResult>(cancel).StatusCode);

        Assert.Equal(JobProcessingOutcome.Cancelled, await running.WaitAsync(TimeSpan.FromSeconds(60)));

        var job = await host.Jobs.GetAsync(jobId);
        Assert.Equal(JobStatus.Cancelled, job!.Status);
        Assert.Empty(job.Results);
        Assert.Equal([1, 2], gate.Steps); // stopped at the boundary after step 2; step 3 never ran
        Assert.Empty(await host.ListResultBlobsAsync());
        var cancelled = Assert.Single(await host.PeekEventsAsync());
        Assert.Equal(GenerationEventTypes.Cancelled, cancelled.Type);
        Assert.Equal("generations/" + jobId, cancelled.Subject);
    }

    [Fact]
    public async Task Progress_is_written_while_running_at_most_once_per_interval()
    {
        var gate = new ProgressProbe();
        await using var host = await WorkerTestHost.StartAsync(
            azurite,
            new() { ["DiffusionFunctions:Worker:ProgressInterval"] = "00:00:00.100" },
            s =>
            {
                s.AddSingleton<IGenerationStepListener>(gate);
                s.AddSingleton<CountingJobsClient>();
                s.AddSingleton<DiffusionJobsClient>(p => p.GetRequiredService<CountingJobsClient>());
            });
        gate.Jobs = host.Jobs;
        var jobId = await SubmitAsync(host, """{"prompt":"a windmill","width":64,"height":64,"steps":12,"seed":9}""");
        var message = await host.ReceiveGenerationAsync();

        Assert.Equal(JobProcessingOutcome.Succeeded, await host.Create<ProcessGenerationFunction>().ProcessGeneration(message, CancellationToken.None));

        // The probe held step 3 until the record showed progress: progress reaches storage while the job runs.
        Assert.True(gate.ObservedProgress >= 1, "No progress was written while the job ran.");
        var writes = host.Services.GetRequiredService<CountingJobsClient>().ProgressWrites;
        Assert.InRange(writes, 1, 11); // bounded: never one write per step for 12 steps
    }

    [Fact]
    public async Task A_huge_progress_interval_writes_no_intermediate_progress_and_the_model_loaded_once_at_start()
    {
        await using var host = await WorkerTestHost.StartAsync(
            azurite,
            new() { ["DiffusionFunctions:Worker:ProgressInterval"] = "00:05:00" },
            s =>
            {
                s.AddSingleton<CountingJobsClient>();
                s.AddSingleton<DiffusionJobsClient>(p => p.GetRequiredService<CountingJobsClient>());
            });
        var modelHost = host.Services.GetRequiredService<DiffusionModelHost>();
        Assert.Equal(1, modelHost.LoadCount); // loaded (and warmed up) by the host's start, before any message

        for (var i = 0; i < 2; i++)
        {
            var jobId = await SubmitAsync(host, $$"""{"prompt":"a pier number {{i}}","width":64,"height":64,"steps":8,"seed":{{i}}}""");
            var message = await host.ReceiveGenerationAsync();
            Assert.Equal(JobProcessingOutcome.Succeeded, await host.Create<ProcessGenerationFunction>().ProcessGeneration(message, CancellationToken.None));
            await host.GenerationQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            Assert.Equal(8, (await host.Jobs.GetAsync(jobId))!.Progress!.Step);
        }

        Assert.Equal(0, host.Services.GetRequiredService<CountingJobsClient>().ProgressWrites);
        Assert.Equal(1, modelHost.LoadCount);
    }

    private static void AssertSucceededEvent(CloudEvent cloudEvent, string jobId, WorkerTestHost host)
    {
        Assert.Equal(GenerationEventTypes.Succeeded, cloudEvent.Type);
        Assert.Equal(GenerationEventTypes.Source, cloudEvent.Source);
        Assert.Equal("generations/" + jobId, cloudEvent.Subject);
        Assert.Equal(jobId + "-succeeded", cloudEvent.Id);
        using var data = JsonDocument.Parse(cloudEvent.Data!.ToMemory());
        Assert.Equal(jobId, data.RootElement.GetProperty("jobId").GetString());
        Assert.Equal("succeeded", data.RootElement.GetProperty("status").GetString());
        var urls = data.RootElement.GetProperty("resultUrls").EnumerateArray().Select(u => u.GetString()!).ToList();
        Assert.NotEmpty(urls);
        Assert.All(urls, url =>
        {
            Assert.StartsWith(host.ResultsContainer.Uri.AbsoluteUri + "/" + jobId + "/", url, StringComparison.Ordinal);
            Assert.DoesNotContain("sig=", url, StringComparison.Ordinal); // plain blob URLs, never SAS
        });
        Assert.True(data.RootElement.GetProperty("timings").GetProperty("runSeconds").GetDouble() >= 0);
    }

    private static async Task<string> SubmitAsync(WorkerTestHost host, string json)
    {
        var request = HttpRequestBuilder.Post("/api/generations").WithJson(json).Build();
        var result = await host.CreateApi<SubmitGenerationFunction>().SubmitGeneration(request, CancellationToken.None);
        var accepted = Assert.IsAssignableFrom<ObjectResult>(result);
        Assert.Equal(202, accepted.StatusCode);
        return Assert.IsType<GenerationResource>(accepted.Value).Id;
    }

    private static async Task<GenerationResource> GetAsync(WorkerTestHost host, string jobId)
    {
        var request = HttpRequestBuilder.Get("/api/generations/" + jobId).WithRouteValue("id", jobId).Build();
        var result = await host.CreateApi<GetGenerationFunction>().GetGeneration(request, jobId, CancellationToken.None);
        return Assert.IsType<GenerationResource>(Assert.IsType<OkObjectResult>(result).Value);
    }

    /// <summary>At step 3, waits (polling the real store, with a deadline) until the record shows progress.</summary>
    private sealed class ProgressProbe : IGenerationStepListener
    {
        public DiffusionJobsClient Jobs { get; set; } = null!;

        public int ObservedProgress { get; private set; }

        public void OnStep(string jobId, int step, int totalSteps, CancellationToken jobCancellation)
        {
            if (step != 3)
            {
                return;
            }

            var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
            while (DateTimeOffset.UtcNow < deadline)
            {
                var progress = Jobs.GetAsync(jobId, jobCancellation).GetAwaiter().GetResult()?.Progress?.Step ?? 0;
                if (progress >= 1)
                {
                    ObservedProgress = progress;
                    return;
                }

                jobCancellation.WaitHandle.WaitOne(20);
            }
        }
    }
}
