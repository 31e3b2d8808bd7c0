extern alias ApiApp;
extern alias WorkerApp;

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Storage.Queues;
using ApiApp::DiffusionFunctions.Api;
using ApiApp::DiffusionFunctions.Api.Functions;
using ApiApp::DiffusionFunctions.Api.Resources;
using DiffusionFunctions.Core.Policy;
using DiffusionFunctions.ModelGeneration;
using WorkerApp::DiffusionFunctions.Worker;
using WorkerApp::DiffusionFunctions.Worker.Engine;
using WorkerApp::DiffusionFunctions.Worker.Functions;
using WorkerApp::DiffusionFunctions.Worker.Processing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DiffusionFunctions.Benchmarks.Worker;

/// <summary>
/// The function set's own cost per job: submit through the API's HTTP function, receive the queue message, run the worker's
/// queue function (job record updates, PNG blob upload, event to the events queue) until the image blob exists, minus the
/// pipeline's own time (measured around <see cref="IImageGenerator.GenerateAsync"/>). Tiny generated model, Azurite on
/// 127.0.0.1. Queue polling latency is not included (the message is received as soon as it is sent).
/// </summary>
public sealed class WorkerOverheadBenchmarkReport : IBenchmarkReport
{
    /// <inheritdoc />
    public string Name => "worker-overhead";

    /// <inheritdoc />
    public string Description => "submit -> image blob minus pipeline time, tiny model on Azurite (--iterations N --steps N --storage CS)";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var iterations = BenchmarkArguments.Int(args, "--iterations", 20);
        var steps = BenchmarkArguments.Int(args, "--steps", 4);
        var storage = BenchmarkArguments.Text(args, "--storage") ?? "UseDevelopmentStorage=true";
        const int Size = 64;

        var prefix = FunctionAppBenchmarkHost.NewPrefix();
        var settings = FunctionAppBenchmarkHost.Settings(prefix, storage, await GeneratedModelCache.GetTinyAsync(cancellationToken: cancellationToken).ConfigureAwait(false));

        var timer = new TimedImageGenerator();
        using var worker = FunctionAppBenchmarkHost.BuildWorker(settings, timer, services => services.Replace(ServiceDescriptor.Singleton<ResultBlobWriter, TimedResultBlobWriter>()));
        await worker.StartAsync(cancellationToken).ConfigureAwait(false);

        await using var api = FunctionAppBenchmarkHost.BuildApi(settings);

        var queue = worker.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(prefix + "-gen");
        var submit = ActivatorUtilities.CreateInstance<SubmitGenerationFunction>(api);
        var process = ActivatorUtilities.CreateInstance<ProcessGenerationFunction>(worker.Services);

        var lastJobId = "";
        var blobWriter = (TimedResultBlobWriter)worker.Services.GetRequiredService<ResultBlobWriter>();
        var overheads = new List<double>();
        var completeOverheads = new List<double>();
        var submits = new List<double>();
        var pipelines = new List<double>();
        try
        {
            for (var i = -3; i < iterations; i++) // 3 warm-up jobs
            {
                var json = string.Create(CultureInfo.InvariantCulture, $$"""{"prompt":"a lighthouse {{i}}","width":{{Size}},"height":{{Size}},"steps":{{steps}},"seed":{{i + 10}}}""");
                var started = Stopwatch.GetTimestamp();
                var total = Stopwatch.StartNew();
                var result = await submit.SubmitGeneration(FunctionAppBenchmarkHost.JsonPost("/api/generations", json), cancellationToken).ConfigureAwait(false);
                var submitted = total.Elapsed.TotalMilliseconds;
                var jobId = ((GenerationResource)((ObjectResult)result).Value!).Id;
                var message = (await queue.ReceiveMessageAsync(TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false)).Value
                    ?? throw new InvalidOperationException("The submitted message is not in the queue.");
                timer.Reset();
                var outcome = await process.ProcessGeneration(message, cancellationToken).ConfigureAwait(false);
                total.Stop();
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
                if (outcome != JobProcessingOutcome.Succeeded)
                {
                    throw new InvalidOperationException($"Job {jobId} ended {outcome}.");
                }

                lastJobId = jobId;
                if (i >= 0)
                {
                    overheads.Add(Stopwatch.GetElapsedTime(started, blobWriter.LastWrittenAt).TotalMilliseconds - timer.LastMilliseconds);
                    completeOverheads.Add(total.Elapsed.TotalMilliseconds - timer.LastMilliseconds);
                    submits.Add(submitted);
                    pipelines.Add(timer.LastMilliseconds);
                }
            }
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        // One storage round trip on this machine right now (a job record read), to read the overhead against.
        var jobs = worker.Services.GetRequiredService<DiffusionFunctions.Core.Jobs.DiffusionJobsClient>();
        var roundTrips = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var watch = Stopwatch.StartNew();
            await jobs.GetAsync(lastJobId, cancellationToken).ConfigureAwait(false);
            roundTrips.Add(watch.Elapsed.TotalMilliseconds);
        }

        var shape = string.Create(CultureInfo.InvariantCulture, $"tiny model {Size}x{Size}, {steps} steps, 1 image, CPU, Azurite 127.0.0.1, {Environment.ProcessorCount} cores, {iterations} jobs after 3 warm-up");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worker-overhead: {Mean(overheads):F1} ms/job mean (submit -> image blob minus pipeline; p50 {Percentile(overheads, 0.5):F1}, p95 {Percentile(overheads, 0.95):F1}) | {shape} | target < 100 ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worker-overhead: {Mean(completeOverheads):F1} ms/job mean to the job's end (blob + succeeded record + event published), minus pipeline; p95 {Percentile(completeOverheads, 0.95):F1} | {shape} | no target; for scale"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worker-overhead: {Mean(submits):F1} ms/job mean in the API's submit (job record, idempotency check, enqueue) | {shape} | part of the figure above"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worker-overhead: {Mean(pipelines):F1} ms/job mean pipeline time (excluded) | {shape} | for scale"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worker-overhead: {Mean(roundTrips):F1} ms mean storage round trip (job record read; p50 {Percentile(roundTrips, 0.5):F1}) | Azurite 127.0.0.1, load average {MachineLoad.LoadAverage()} | the overhead is {Mean(overheads) / Mean(roundTrips):F1} round trips"));
        return Mean(overheads) < 100 ? 0 : 1;
    }

    private static double Mean(List<double> values) => values.Count == 0 ? double.NaN : values.Average();

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
    }

    /// <summary>The real blob writer, noting when the image blobs exist.</summary>
    private sealed class TimedResultBlobWriter(
        Azure.Storage.Blobs.BlobServiceClient blobService,
        Microsoft.Extensions.Options.IOptions<DiffusionFunctions.Core.Storage.DiffusionStorageOptions> storage,
        Microsoft.Extensions.Options.IOptions<WorkerOptions> worker) : ResultBlobWriter(blobService, storage, worker)
    {
        public long LastWrittenAt { get; private set; }

        public override async Task<IReadOnlyList<string>> WriteAsync(
            string jobId, long seed, IReadOnlyList<GeneratedImage> images, CancellationToken cancellationToken)
        {
            var names = await base.WriteAsync(jobId, seed, images, cancellationToken).ConfigureAwait(false);
            LastWrittenAt = Stopwatch.GetTimestamp();
            return names;
        }
    }
}
