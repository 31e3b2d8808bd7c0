using System.Diagnostics;
using DiffusionFunctions.Api.Functions;
using DiffusionFunctions.Api.Resources;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Queue;
using DiffusionFunctions.Core.Telemetry;
using DiffusionFunctions.Diffusion.Pipeline;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker.Functions;
using DiffusionFunctions.Worker.Processing;
using DiffusionFunctions.Worker.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace DiffusionFunctions.Worker.Tests.Processing;

/// <summary>
/// One trace per job, through the queue: the API function's submit span, the worker function's processing span, the
/// engine's phases, the upload and the event share one trace id (the W3C context travels in the message body). A
/// schema-1 message without trace context still processes, in a trace of its own. The job metrics are recorded, and the
/// job record says which device and model ran it. Spans are read with OpenTelemetry's in-memory exporter.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TelemetryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task One_trace_spans_the_submit_the_processing_and_the_pipeline_phases()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(DiffusionTelemetry.SourceName, PipelineTelemetry.SourceName)
            .AddInMemoryExporter(spans)
            .Build();
        var metrics = new List<Metric>();
        using var meters = Sdk.CreateMeterProviderBuilder().AddMeter(DiffusionTelemetry.SourceName).AddInMemoryExporter(metrics).Build();
        await using var host = await WorkerTestHost.StartAsync(azurite);

        var request = HttpRequestBuilder.Post("/api/generations").WithJson("""{"prompt":"a lighthouse at dusk","width":64,"height":64,"steps":3,"seed":7}""").Build();
        var accepted = Assert.IsAssignableFrom<ObjectResult>(await host.CreateApi<SubmitGenerationFunction>().SubmitGeneration(request, CancellationToken.None));
        var jobId = Assert.IsType<GenerationResource>(accepted.Value).Id;
        var message = await host.ReceiveGenerationAsync();
        var outcome = await host.Create<ProcessGenerationFunction>().ProcessGeneration(message, CancellationToken.None);
        tracing.ForceFlush();
        meters.ForceFlush();

        Assert.Equal(JobProcessingOutcome.Succeeded, outcome);
        var submit = Assert.Single(spans, s => s.OperationName == "generation.submit" && JobIdOf(s) == jobId);
        var process = Assert.Single(spans, s => s.OperationName == "generation.process" && JobIdOf(s) == jobId);
        Assert.Equal(ActivityKind.Producer, submit.Kind);
        Assert.Equal(ActivityKind.Consumer, process.Kind);
        Assert.Equal(submit.TraceId, process.TraceId);
        Assert.Equal(submit.SpanId, process.ParentSpanId);
        var trace = spans.Where(s => s.TraceId == submit.TraceId).ToList();
        foreach (var phase in new[] { PipelineTelemetry.TextEncoderPhase, PipelineTelemetry.DenoisePhase, PipelineTelemetry.DecodePhase, "results.upload", "generation.event" })
        {
            var span = Assert.Single(trace, s => s.OperationName == phase);
            Assert.True(IsUnder(span, process, trace), $"{phase} is not under the processing span");
        }

        // The record says what ran it; the meter saw the job.
        var job = (await host.Jobs.GetAsync(jobId))!;
        Assert.Equal("cpu", job.Device);
        Assert.False(string.IsNullOrEmpty(job.Model));
        var get = HttpRequestBuilder.Get("/api/generations/" + jobId).WithRouteValue("id", jobId).Build();
        var resource = Assert.IsType<GenerationResource>(Assert.IsType<OkObjectResult>(
            await host.CreateApi<GetGenerationFunction>().GetGeneration(get, jobId, CancellationToken.None)).Value);
        Assert.Equal(("cpu", job.Model), (resource.Device, resource.Model));
        var recorded = metrics.Select(m => m.Name).ToHashSet();
        Assert.Contains("diffusion.job.queue_wait", recorded);
        Assert.Contains("diffusion.job.generation.duration", recorded);
        Assert.Contains("diffusion.job.steps_per_second", recorded);
        Assert.Contains("diffusion.job.images", recorded);
    }

    [Fact]
    public async Task A_schema_1_message_without_trace_context_still_processes_in_a_trace_of_its_own()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(DiffusionTelemetry.SourceName).AddInMemoryExporter(spans).Build();
        await using var host = await WorkerTestHost.StartAsync(azurite);
        var job = JobRecord.CreateQueued(JobIds.New(), TestJobs.Parameters(), DateTimeOffset.UtcNow);
        await host.Jobs.CreateAsync(job);
        await host.GenerationQueue.SendMessageAsync(
            $$"""{"schemaVersion":1,"jobId":"{{job.Id}}","jobsContainer":"{{host.Names.JobsContainer}}","jobBlob":"{{DiffusionJobsClient.BlobNameFor(job.Id)}}"}""");
        var message = await host.ReceiveGenerationAsync();

        var outcome = await host.Create<ProcessGenerationFunction>().ProcessGeneration(message, CancellationToken.None);
        tracing.ForceFlush();

        Assert.Equal(JobProcessingOutcome.Succeeded, outcome);
        Assert.Equal(1, GenerationQueueMessage.Parse(message.MessageText).SchemaVersion);
        var process = Assert.Single(spans, s => s.OperationName == "generation.process" && JobIdOf(s) == job.Id);
        Assert.Equal(default, process.ParentSpanId);
        Assert.Contains(spans, s => s.OperationName == "results.upload" && s.TraceId == process.TraceId);
    }

    private static string? JobIdOf(Activity span) => span.GetTagItem(DiffusionTelemetry.JobIdTag) as string;

    private static bool IsUnder(Activity span, Activity ancestor, List<Activity> trace)
    {
        var current = span;
        while (current.ParentSpanId != default)
        {
            if (current.ParentSpanId == ancestor.SpanId)
            {
                return true;
            }

            var parent = trace.FirstOrDefault(s => s.SpanId == current.ParentSpanId);
            if (parent is null)
            {
                return false;
            }

            current = parent;
        }

        return false;
    }
}
