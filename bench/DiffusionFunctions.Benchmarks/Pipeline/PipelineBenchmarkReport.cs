using System.Diagnostics;
using System.Globalization;
using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Pipeline;
using DiffusionFunctions.ModelGeneration;

namespace DiffusionFunctions.Benchmarks.Pipeline;

/// <summary>
/// The Stable Diffusion pipeline end to end on a generated model: total time per run, time inside ONNX Runtime, the
/// pipeline's own share, UNet iterations per second, peak memory against the model files' size.
/// </summary>
public sealed class PipelineBenchmarkReport : IBenchmarkReport
{
    /// <inheritdoc />
    public string Name => "pipeline";

    /// <inheritdoc />
    public string Description => "txt2img on a generated model (--preset tiny|sd15|sdxl|sdxl-turbo-tiny|... --size N --steps N --guidance X --threads ort,auto): total, time per phase, UNet calls and batch per image, ORT time, own share, peak memory";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var options = PipelineBenchmarkOptions.Parse(args);
        var variant = new ModelVariant { Fp16 = options.Fp16, Timestep = options.Fp16 ? TimestepForm.Float16Batch : TimestepForm.Float32Batch };
        var folder = options.ModelDirectory ?? await GetModelFolderAsync(options.Preset, variant, output, cancellationToken).ConfigureAwait(false);
        using var phases = new PhaseClock();
        var modelBytes = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

        var c = CultureInfo.InvariantCulture;
        var onSd15 = options.Preset == ModelPreset.Sd15;
        var presetName = ModelPresetNames.NameOf(options.Preset);
        var shape = string.Empty;
        foreach (var threads in options.Threads)
        {
            var run = await MeasureAsync(folder, options, threads, phases, cancellationToken).ConfigureAwait(false);
            shape = string.Create(c,
                $"preset {presetName} ({run.Family}){(options.Fp16 ? " fp16" : " fp32")}, {run.Size}x{run.Size}, {options.Steps} steps, guidance {run.Guidance}, batch {options.Count}{(run.UnetBatch == 2 * options.Count ? " (x2 CFG)" : " (no CFG batch)")}, {run.Scheduler}, {run.Provider}{(run.IoBinding ? " IOBinding" : "")}, {Environment.ProcessorCount} cores, threads {threads}, {options.Iterations} iterations after 1 warm-up");
            var total = run.Totals.Average();
            var ort = run.OrtTimes.Average();
            var ownShare = (total - ort) / total * 100;
            output.WriteLine(string.Create(c, $"pipeline model files:      {modelBytes / 1048576.0,10:0.0} MiB      | {shape}"));
            output.WriteLine(string.Create(c, $"pipeline model load:       {run.LoadSeconds,10:0.000} s        | {shape}"));
            output.WriteLine(string.Create(c, $"pipeline total time:       {total,10:0.000} s/run    | {shape} | min {run.Totals.Min():0.000} max {run.Totals.Max():0.000}"));
            output.WriteLine(string.Create(c, $"pipeline ORT time:         {ort,10:0.000} s/run    | {shape}"));
            output.WriteLine(string.Create(c, $"pipeline own share:        {ownShare,10:0.00} %        | {shape} | target < 2 % on sd15{(onSd15 ? (ownShare < 2 ? " (met)" : " (NOT met)") : " (informational on tiny)")}"));
            output.WriteLine(string.Create(c, $"pipeline UNet iterations:  {options.Steps / run.LoopTimes.Average(),10:0.00} it/s     | {shape}"));
            foreach (var (phase, label) in new[] { (PipelineTelemetry.TextEncoderPhase, "encode"), (PipelineTelemetry.DenoisePhase, "denoise"), (PipelineTelemetry.DecodePhase, "decode") })
            {
                var seconds = run.PhaseSeconds.TryGetValue(phase, out var list) && list.Count > 0 ? list.Average() : double.NaN;
                output.WriteLine(string.Create(c, $"pipeline {"phase " + label + ":",-18}{seconds,10:0.000} s/run    | {shape}"));
            }

            output.WriteLine(string.Create(c, $"pipeline UNet calls/image: {(double)run.UnetCalls * run.UnetBatch / options.Count,10:0.0} rows     | {shape} | {run.UnetCalls} calls x batch {run.UnetBatch} for {options.Count} image(s): {run.UnetBatch / options.Count} UNet row(s) per image per step"));
            output.WriteLine(string.Create(c, $"pipeline seconds/image:    {total / options.Count,10:0.000} s        | {shape}"));
        }

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var peakWorkingSet = process.PeakWorkingSet64;
        var ratio = (double)peakWorkingSet / modelBytes;
        output.WriteLine(string.Create(c, $"pipeline peak working set: {peakWorkingSet / 1048576.0,10:0.0} MiB      | {shape} | {ratio:0.00}x model files, target < 1.5x{(ratio < 1.5 ? " (met)" : " (NOT met)")}"));
        output.WriteLine(string.Create(c, $"pipeline GC heap peak:     {GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes / 1048576.0,10:0.0} MiB      | {shape} | managed heap at last GC; allocated {GC.GetTotalAllocatedBytes() / 1048576.0:0.0} MiB in total"));
        return 0;
    }

    private static async Task<Measurement> MeasureAsync(string folder, PipelineBenchmarkOptions options, string threads, PhaseClock phases, CancellationToken cancellationToken)
    {
        var load = Stopwatch.StartNew();
        using var model = StableDiffusionModel.Load(folder, options.EngineOptionsFor(threads), cancellationToken: cancellationToken);
        load.Stop();
        var pipeline = new StableDiffusionPipeline(model);
        var size = options.Size ?? model.DefaultWidth;
        var settings = new GenerationSettings
        {
            Prompt = "a photograph of an astronaut riding a horse",
            NegativePrompt = "blurry",
            Steps = options.Steps,
            Seed = 1,
            Count = options.Count,
            Width = size,
            Height = size,
            Scheduler = options.EffectiveScheduler,
            GuidanceScale = options.Guidance,
        };

        // Warm-up: one step allocates arenas and plans memory.
        await pipeline.RunAsync(settings with { Steps = 1 }, cancellationToken: cancellationToken).ConfigureAwait(false);

        var measurement = new Measurement(size, model.ExecutionProvider.ToString().ToUpperInvariant(), model.UsesIoBinding, load.Elapsed.TotalSeconds)
        {
            Family = model.Family.Name,
            Guidance = options.Guidance ?? model.DefaultGuidanceScale,
        };
        for (var i = 0; i < options.Iterations; i++)
        {
            var progress = new StepClock();
            phases.Start();
            var result = await pipeline.RunAsync(settings, progress, cancellationToken).ConfigureAwait(false);
            foreach (var (phase, seconds) in phases.Stop())
            {
                measurement.PhaseSeconds.TryAdd(phase, []);
                measurement.PhaseSeconds[phase].Add(seconds);
            }

            measurement.UnetCalls = result.UnetCalls;
            measurement.UnetBatch = result.UnetBatchSize;
            measurement.Scheduler = result.SchedulerName;
            measurement.Totals.Add(result.Elapsed.TotalSeconds);
            measurement.OrtTimes.Add(result.OnnxRuntimeTime.TotalSeconds);
            measurement.LoopTimes.Add(progress.DenoisingSeconds);
        }

        return measurement;
    }

    private static async Task<string> GetModelFolderAsync(ModelPreset preset, ModelVariant variant, TextWriter output, CancellationToken cancellationToken)
    {
        if (!ModelPresetNames.IsFullSize(preset))
        {
            return await GeneratedModelCache.GetPresetAsync(preset, variant, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var name = ModelPresetNames.NameOf(preset);
        var folder = Path.Combine(Path.GetTempPath(), "dfx-bench-models", $"{name}-{variant.Key}-seed{GeneratedModelCache.DefaultSeed}");
        if (File.Exists(Path.Combine(folder, "model_index.json")))
        {
            return folder;
        }

        var generate = Stopwatch.StartNew();
        var scratch = folder + ".partial";
        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }

        await StableDiffusionModelGenerator.WriteAsync(scratch, preset, variant, GeneratedModelCache.DefaultSeed, cancellationToken: cancellationToken).ConfigureAwait(false);
        Directory.Move(scratch, folder);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pipeline generated {name} folder in {generate.Elapsed.TotalSeconds:0.0} s: {folder} (this process's peak memory includes generation; run again for a clean figure)"));
        return folder;
    }

    private sealed record Measurement(int Size, string Provider, bool IoBinding, double LoadSeconds)
    {
        public List<double> Totals { get; } = [];

        public List<double> OrtTimes { get; } = [];

        public List<double> LoopTimes { get; } = [];

        public Dictionary<string, List<double>> PhaseSeconds { get; } = new(StringComparer.Ordinal);

        public string Family { get; init; } = "sd";

        public double Guidance { get; init; }

        public string Scheduler { get; set; } = "";

        public int UnetCalls { get; set; }

        public int UnetBatch { get; set; }
    }

    // Sums the engine's phase spans (PipelineTelemetry) between Start and Stop: where one run's time went.
    private sealed class PhaseClock : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly Dictionary<string, double> _seconds = new(StringComparer.Ordinal);

        public PhaseClock()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == PipelineTelemetry.SourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = activity =>
                {
                    lock (_seconds)
                    {
                        _seconds[activity.OperationName] = _seconds.GetValueOrDefault(activity.OperationName) + activity.Duration.TotalSeconds;
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public void Start()
        {
            lock (_seconds)
            {
                _seconds.Clear();
            }
        }

        public Dictionary<string, double> Stop()
        {
            lock (_seconds)
            {
                return new Dictionary<string, double>(_seconds, StringComparer.Ordinal);
            }
        }

        public void Dispose() => _listener.Dispose();
    }

    private sealed class StepClock : IProgress<GenerationProgress>
    {
        private TimeSpan _first;
        private TimeSpan _last;
        private int _steps;

        // Time from the end of step 1 to the end of the last step, extrapolated to all steps.
        public double DenoisingSeconds => _steps <= 1 ? _last.TotalSeconds : (_last - _first).TotalSeconds * _steps / (_steps - 1);

        public void Report(GenerationProgress value)
        {
            if (value.Stage != GenerationStage.Denoising)
            {
                return;
            }

            if (value.Step == 1)
            {
                _first = value.Elapsed;
            }

            _last = value.Elapsed;
            _steps = value.Step;
        }
    }
}
