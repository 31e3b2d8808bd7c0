using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using DiffusionFunctions.Diffusion.Randomness;
using DiffusionFunctions.Diffusion.Schedulers;

namespace DiffusionFunctions.Benchmarks.Schedulers;

/// <summary>
/// Scheduler cost per denoising step for a 4×64×64 latent (batch 1, 512×512 images): steps per second of
/// <c>ScaleModelInput</c> + <c>Step</c> with a fixed model output, and managed bytes allocated per step once the history
/// buffers exist. Judged against issue 3's target, no allocation per step proportional to the latent (0 B/step here),
/// and a step well under a UNet call (≥ 1,000 steps/s, i.e. ≤ 1 ms).
/// Options: <c>--seconds N</c> (measuring time per sampler, default 1), <c>--steps N</c> (inference steps per run, default 50).
/// </summary>
public sealed class SchedulerBenchmarkReport : IBenchmarkReport
{
    private const int LatentLength = 4 * 64 * 64;
    private const double TargetStepsPerSecond = 1_000;

    /// <inheritdoc />
    public string Name => "schedulers";

    /// <inheritdoc />
    public string Description => "Scheduler steps/s and bytes allocated per step for every sampler, 4x64x64 latent, batch 1";

    /// <inheritdoc />
    public Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var seconds = Option(args, "--seconds", 1.0);
        var steps = (int)Option(args, "--steps", 50);
        var machine = $"{RuntimeInformation.ProcessArchitecture} {RuntimeInformation.OSDescription.Trim()}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.FrameworkDescription}, load average {LoadAverage()}";
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"schedulers machine: {machine}; CPU, single thread; Stopwatch harness, 2 warm-up runs, {seconds:0.#} s per sampler; {steps} steps per run; SD 1.x config (scaled_linear 0.00085-0.012, steps_offset 1)"));

        var config = new SchedulerConfig
        {
            BetaStart = 0.00085,
            BetaEnd = 0.012,
            BetaSchedule = BetaScheduleKind.ScaledLinear,
            SkipPrkSteps = true,
            StepsOffset = 1,
            SetAlphaToOne = false,
            ClipSample = false,
        };
        var initial = new TorchGenerator(0).Randn(LatentLength);
        var modelOutput = new TorchGenerator(1).Randn(LatentLength);
        var failures = 0;
        foreach (var name in SchedulerFactory.Names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var scheduler = SchedulerFactory.Create(name, config);
            var runSteps = Math.Min(steps, name == "lcm" ? config.OriginalInferenceSteps : steps);
            var sample = new float[LatentLength];
            var modelInput = new float[LatentLength];
            var generator = new TorchGenerator(2);

            Run(scheduler, runSteps, initial, sample, modelInput, modelOutput, generator);
            Run(scheduler, runSteps, initial, sample, modelInput, modelOutput, generator);

            long totalSteps = 0;
            long totalTicks = 0;
            long totalBytes = 0;
            var runs = 0;
            var wall = Stopwatch.StartNew();
            while (wall.Elapsed.TotalSeconds < seconds)
            {
                var (stepCount, ticks, bytes) = Run(scheduler, runSteps, initial, sample, modelInput, modelOutput, generator);
                totalSteps += stepCount;
                totalTicks += ticks;
                totalBytes += bytes;
                runs++;
            }

            var elapsed = TimeSpan.FromSeconds(totalTicks / (double)Stopwatch.Frequency);
            var stepsPerSecond = totalSteps / elapsed.TotalSeconds;
            var bytesPerStep = totalBytes / (double)totalSteps;
            var meets = stepsPerSecond >= TargetStepsPerSecond && bytesPerStep == 0;
            failures += meets ? 0 : 1;
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"schedulers steps/s: {name,-16} {stepsPerSecond,10:N0} steps/s ({1e6 / stepsPerSecond:N1} µs/step) | 4x64x64 latent, batch 1, {runSteps} steps x {runs} runs | CPU single thread | target >= {TargetStepsPerSecond:N0} steps/s"));
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"schedulers alloc:   {name,-16} {bytesPerStep,10:N1} B/step | 4x64x64 latent ({LatentLength * sizeof(float):N0} B), {totalSteps:N0} steps after warm-up | target 0 B/step | {(meets ? "meets" : "MISSES")} target"));
        }

        return Task.FromResult(failures == 0 ? 0 : 1);
    }

    // One generation's worth of steps from the same initial latent; times and counts allocations of the step loop only.
    private static (int Steps, long Ticks, long Bytes) Run(
        IScheduler scheduler, int steps, float[] initial, float[] sample, float[] modelInput, float[] modelOutput, TorchGenerator generator)
    {
        scheduler.SetTimesteps(steps);
        var sigma = scheduler.InitNoiseSigma;
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] = initial[i] * sigma;
        }

        var timesteps = scheduler.Timesteps;
        var count = timesteps.Count;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var t = timesteps[i];
            scheduler.ScaleModelInput(sample, t, modelInput);
            scheduler.Step(modelOutput, t, sample, sample, generator);
        }

        var ticks = Stopwatch.GetTimestamp() - start;
        return (count, ticks, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
    }

    // The 1-minute load average on Linux, so figures from a busy machine can be read as such.
    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static double Option(string[] args, string name, double fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && double.TryParse(args[index + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : fallback;
    }
}
