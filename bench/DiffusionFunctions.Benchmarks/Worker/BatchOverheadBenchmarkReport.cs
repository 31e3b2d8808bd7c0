extern alias ApiApp;
extern alias WorkerApp;

using System.Diagnostics;
using System.Globalization;
using System.Text;
using ApiApp::DiffusionFunctions.Api;
using ApiApp::DiffusionFunctions.Api.Batches;
using ApiApp::DiffusionFunctions.Api.Functions;
using DiffusionFunctions.Core.Policy;
using DiffusionFunctions.Core.Workflows;
using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.ModelGeneration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkerApp::DiffusionFunctions.Worker;
using WorkerApp::DiffusionFunctions.Worker.Engine;
using WorkerApp::DiffusionFunctions.Worker.Hosting;
using WorkerApp::DiffusionFunctions.Worker.Processing;

namespace DiffusionFunctions.Benchmarks.Worker;

/// <summary>
/// A batch end to end on Azurite: <c>POST /api/batches</c> through the API's function (fan-out: job records, run state, the
/// first messages), the worker driven by the in-process queue listener (generation, job records, PNG blobs, job events, the
/// fan-in releasing the next items, the manifest with every PNG's SHA-256, the completion event), until the run's completion
/// event is published. The overhead per item is the wall time beyond the sum of the pipeline's own times, divided by the
/// items; one worker, one job at a time (as host.json runs it).
/// </summary>
public sealed class BatchOverheadBenchmarkReport : IBenchmarkReport
{
    /// <inheritdoc />
    public string Name => "batch-overhead";

    /// <inheritdoc />
    public string Description => "100-item batch, fan-out/fan-in overhead per item and images/min (--items N --steps N --in-flight N --model DIR --storage CS)";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var items = BenchmarkArguments.Int(args, "--items", 100);
        var steps = BenchmarkArguments.Int(args, "--steps", 4);
        var inFlight = BenchmarkArguments.Int(args, "--in-flight", 4);
        var storage = BenchmarkArguments.Text(args, "--storage") ?? "UseDevelopmentStorage=true";
        var model = BenchmarkArguments.Text(args, "--model") ?? ShippedModel.Locate() ?? await GeneratedModelCache.GetTinyAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

        var prefix = FunctionAppBenchmarkHost.NewPrefix();
        var settings = FunctionAppBenchmarkHost.Settings(prefix, storage, model);
        settings["DiffusionFunctions:Batches:RequestsContainer"] = prefix + "-batchreq";
        settings["DiffusionFunctions:Batches:RequestsEventsQueue"] = prefix + "-batchev";
        settings["DiffusionFunctions:Batches:MaxItems"] = Math.Max(items, 1000).ToString(CultureInfo.InvariantCulture);
        settings["DiffusionFunctions:Workflows:MaxInFlightPerRun"] = inFlight.ToString(CultureInfo.InvariantCulture);

        var timer = new TimedImageGenerator();
        using var worker = FunctionAppBenchmarkHost.BuildWorker(settings, timer, services => services.Replace(ServiceDescriptor.Singleton<WorkflowRunStore, TimedRunStore>()));
        await worker.StartAsync(cancellationToken).ConfigureAwait(false);

        await using var api = FunctionAppBenchmarkHost.BuildApi(settings);
        var submit = ActivatorUtilities.CreateInstance<SubmitBatchFunction>(api);
        var runs = worker.Services.GetRequiredService<WorkflowRunStore>();
        var listener = ActivatorUtilities.CreateInstance<InProcessQueueListener>(
            worker.Services,
            ActivatorUtilities.CreateInstance<WorkerApp::DiffusionFunctions.Worker.Functions.ProcessGenerationFunction>(worker.Services),
            ActivatorUtilities.CreateInstance<WorkerApp::DiffusionFunctions.Worker.Functions.GenerationPoisonFunction>(worker.Services),
            new InProcessQueueListenerOptions { RetryDelay = TimeSpan.FromSeconds(1), MaxPollingInterval = TimeSpan.FromMilliseconds(200) });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var listening = Task.Run(() => listener.RunAsync(stop.Token), CancellationToken.None);
        try
        {
            await RunBatchAsync(submit, runs, 5, steps, cancellationToken).ConfigureAwait(false); // warm-up: JIT, connections, containers
            timer.ResetTotal();
            var timedRuns = (TimedRunStore)runs;
            timedRuns.Reset();
            var (wall, submitted) = await RunBatchAsync(submit, runs, items, steps, cancellationToken).ConfigureAwait(false);
            var pipeline = timer.TotalMilliseconds;
            var overhead = (wall.TotalMilliseconds - pipeline) / items;
            var shape = string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(model.TrimEnd('/'))} 64x64, {steps} steps, 1 image/item, CPU, {items} items, {inFlight} in flight per run, 1 worker (1 job at a time), {Environment.ProcessorCount} cores, load {MachineLoad.LoadAverage()}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch-overhead: {overhead:F1} ms/item fan-out/fan-in overhead (wall {wall.TotalSeconds:F2} s - pipeline sum {pipeline / 1000:F2} s, / {items}) | {shape} | target < 50 ms"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch-overhead: {items / wall.TotalMinutes:F0} images/min for the whole batch (submit to completion event) | {shape} | for scale"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch-overhead: {submitted.TotalMilliseconds:F0} ms in POST /api/batches ({submitted.TotalMilliseconds / items:F1} ms/item: validation, {items} job records, run state, first {inFlight} messages) | part of the overhead"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch-overhead: {timedRuns.Milliseconds / items:F1} ms/item in the fan-in's run-state writes ({timedRuns.Calls} ETag-conditional updates: record + release + the released messages) | part of the overhead"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch-overhead: {timedRuns.CompletionMilliseconds:F0} ms from the last item's fan-in to the completion event (reads all {items} job records, manifest + summary, event) = {timedRuns.CompletionMilliseconds / items:F1} ms/item | part of the overhead"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch-overhead: {overhead - submitted.TotalMilliseconds / items - timedRuns.Milliseconds / items - timedRuns.CompletionMilliseconds / items:F1} ms/item left: each item's ordinary job machinery (queue receive/delete, job record updates, PNG upload, job event; see worker-overhead) | part of the overhead"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch-overhead: {pipeline / timer.Calls:F1} ms/item mean pipeline time (excluded) over {timer.Calls} calls | for scale"));
            return overhead < 50 ? 0 : 1;
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await listening.ConfigureAwait(false);
            await worker.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<(TimeSpan Wall, TimeSpan Submitted)> RunBatchAsync(SubmitBatchFunction submit, WorkflowRunStore runs, int items, int steps, CancellationToken cancellationToken)
    {
        string[] colours = ["red", "blue", "green", "yellow", "purple"];
        string[] shapes = ["circle", "square", "triangle", "star", "heart"];
        var body = new StringBuilder("{\"items\":[");
        for (var i = 0; i < items; i++)
        {
            body.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $$$"""{"prompt":"a {{{colours[i % 5]}}} {{{shapes[i / 5 % 5]}}} on a white background","width":64,"height":64,"steps":{{{steps}}},"seed":{{{i}}},"labels":{"n":{{{i}}}}}""");
        }

        body.Append("]}");
        var clock = Stopwatch.StartNew();
        var result = await submit.SubmitBatch(FunctionAppBenchmarkHost.JsonPost("/api/batches", body.ToString()), cancellationToken).ConfigureAwait(false);
        var submitted = clock.Elapsed;
        var id = ((BatchResource)((ObjectResult)result).Value!).Id;
        while (true)
        {
            var state = await runs.GetStateAsync(id, cancellationToken).ConfigureAwait(false);
            if (state is { CompletionPublished: true })
            {
                return state.Status == WorkflowRunStatus.Completed && state.Counts().Succeeded == items
                    ? (clock.Elapsed, submitted)
                    : throw new InvalidOperationException($"Batch {id} ended {state.Status} with {state.Counts()}.");
            }

            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The real run store, timing its state updates and noting when the run's final state was written and published.</summary>
    private sealed class TimedRunStore(
        Azure.Storage.Blobs.BlobServiceClient blobs,
        Microsoft.Extensions.Options.IOptions<DiffusionFunctions.Core.Storage.DiffusionStorageOptions> storage,
        Microsoft.Extensions.Options.IOptions<WorkflowOptions> options,
        TimeProvider time) : WorkflowRunStore(blobs, storage, options, time)
    {
        private long _ticks;
        private long _lastAllFinished;
        private long _published;

        public int Calls { get; private set; }

        public double Milliseconds => TimeSpan.FromTicks(Interlocked.Read(ref _ticks)).TotalMilliseconds;

        public double CompletionMilliseconds => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastAllFinished), Interlocked.Read(ref _published)).TotalMilliseconds;

        public void Reset()
        {
            Interlocked.Exchange(ref _ticks, 0);
            Calls = 0;
        }

        public override async Task<(WorkflowRunState State, bool Written)> UpdateStateAsync(
            string runId, Func<WorkflowRunState, WorkflowRunState> mutate, Func<WorkflowRunState, WorkflowRunState, CancellationToken, Task>? beforeWrite, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await base.UpdateStateAsync(runId, mutate, beforeWrite, cancellationToken).ConfigureAwait(false);
            var ended = Stopwatch.GetTimestamp();
            if (result.State.CompletionPublished)
            {
                Interlocked.Exchange(ref _published, ended);
            }
            else if (result.State.Status == WorkflowRunStatus.Running)
            {
                // The fan-in's record + release writes (the completer's own writes are in the completion figure).
                Interlocked.Add(ref _ticks, ended - started > 0 ? Stopwatch.GetElapsedTime(started, ended).Ticks : 0);
                Calls++;
                if (result.State.AllFinished)
                {
                    Interlocked.Exchange(ref _lastAllFinished, ended);
                }
            }

            return result;
        }
    }
}
