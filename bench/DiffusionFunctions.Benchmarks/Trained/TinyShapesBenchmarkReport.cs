using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Pipeline;

namespace DiffusionFunctions.Benchmarks.Trained;

/// <summary>
/// The shipped tiny-shapes model at its default settings (64x64, 25 steps, the folder's guidance scale, so two UNet rows
/// per step, and the folder's scheduler) on the CPU provider: milliseconds per image, ORT share, against the 250 ms target on 2 cores.
/// Options: <c>--model DIR</c> (default models/tiny-shapes under the checkout), <c>--iterations N</c> (default 20),
/// <c>--threads N</c> (ONNX Runtime intra-op threads; default 0, automatic).
/// </summary>
public sealed class TinyShapesBenchmarkReport : IBenchmarkReport
{
    private const double TargetMilliseconds = 250;

    /// <inheritdoc />
    public string Name => "tiny-shapes";

    /// <inheritdoc />
    public string Description => "the shipped tiny-shapes model: ms per 64x64 image at 25 steps with guidance on CPU (target <= 250 ms on 2 cores)";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var folder = Value(args, "--model") ?? FindModelFolder();
        var iterations = int.Parse(Value(args, "--iterations") ?? "20", CultureInfo.InvariantCulture);
        var threads = int.Parse(Value(args, "--threads") ?? "0", CultureInfo.InvariantCulture);
        using var model = StableDiffusionModel.Load(folder, new DiffusionEngineOptions { Provider = ExecutionProviderKind.Cpu, IntraOpThreads = threads }, cancellationToken: cancellationToken);
        var pipeline = new StableDiffusionPipeline(model);
        var settings = new GenerationSettings { Prompt = "a yellow star on a blue background", Seed = 1 };

        for (var i = 0; i < 3; i++)
        {
            await pipeline.RunAsync(settings with { Seed = 100 + i }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var totals = new List<double>();
        var ort = new List<double>();
        string scheduler = "?";
        for (var i = 0; i < iterations; i++)
        {
            var clock = Stopwatch.StartNew();
            var result = await pipeline.RunAsync(settings with { Seed = i }, cancellationToken: cancellationToken).ConfigureAwait(false);
            totals.Add(clock.Elapsed.TotalMilliseconds);
            ort.Add(result.OnnxRuntimeTime.TotalMilliseconds);
            scheduler = $"{result.SchedulerName} {result.StepsRun} steps";
        }

        totals.Sort();
        var mean = totals.Average();
        var median = totals[totals.Count / 2];
        var shape = string.Create(
            CultureInfo.InvariantCulture,
            $"tiny-shapes {model.DefaultWidth}x{model.DefaultHeight}, {scheduler}, guidance {model.DefaultGuidanceScale} (batch 2 UNet), CPU provider, {(threads == 0 ? $"automatic (1 per part under {SessionOptionsFactory.SmallModelBytes / (1024 * 1024)} MB)" : threads.ToString(CultureInfo.InvariantCulture))} intra-op threads, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, load average {LoadAverage()}, {iterations} images after 3 warm-up");
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"tiny-shapes txt2img: {mean:F1} ms/image mean, {median:F1} ms median, {ort.Average() / mean:P0} inside ORT; {shape}; target <= {TargetMilliseconds:F0} ms: {(mean <= TargetMilliseconds ? "met" : "MISSED")}")).ConfigureAwait(false);
        return 0;
    }

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string FindModelFolder() =>
        ShippedModel.Locate() ?? throw new DirectoryNotFoundException("models/tiny-shapes was not found above the current directory; pass --model DIR.");

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
