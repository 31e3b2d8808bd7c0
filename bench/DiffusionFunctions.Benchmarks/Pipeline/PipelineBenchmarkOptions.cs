using System.Globalization;
using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.ModelGeneration;

namespace DiffusionFunctions.Benchmarks.Pipeline;

/// <summary>
/// Arguments of the <c>pipeline</c> report: <c>--preset NAME (tiny, sd15, sdxl, sdxl-tiny, sdxl-turbo-tiny, lcm-tiny ...) --guidance X --size N --steps N --iterations N --count N
/// --provider auto|cuda|cpu --io-binding on|off|default --fp16 --model DIR --scheduler NAME --threads LIST</c>.
/// <c>--threads</c> lists intra-op thread settings to measure one after another on the same folder in one run:
/// <c>auto</c> (the engine's automatic rule), <c>ort</c> (automatic, but parts of 64 MB and more left to ONNX Runtime's own
/// default: the rule before issue 15) or a count, e.g. <c>--threads ort,auto</c>.
/// </summary>
internal sealed record PipelineBenchmarkOptions
{
    public ModelPreset Preset { get; init; } = ModelPreset.Tiny;

    public int? Size { get; init; }

    public int Steps { get; init; } = 10;

    public int Iterations { get; init; } = 3;

    public int Count { get; init; } = 1;

    public ExecutionProviderKind Provider { get; init; } = ExecutionProviderKind.Cpu;

    public bool? IoBinding { get; init; }

    public bool Fp16 { get; init; }

    public string? ModelDirectory { get; init; }

    /// <summary>The sampler; null for "euler" on the SD 1.x presets and the folder's own sampler on the others.</summary>
    public string? Scheduler { get; init; }

    /// <summary>The guidance scale; null for the model's default (0 for Turbo).</summary>
    public double? Guidance { get; init; }

    /// <summary>The sampler the run uses when none is given.</summary>
    public string? EffectiveScheduler => Scheduler ?? (Preset is ModelPreset.Tiny or ModelPreset.Sd15 ? "euler" : null);

    public IReadOnlyList<string> Threads { get; init; } = ["auto"];

    /// <summary>The engine options for one <c>--threads</c> entry.</summary>
    public DiffusionEngineOptions EngineOptionsFor(string threads) => threads switch
    {
        "auto" => new DiffusionEngineOptions { Provider = Provider, UseIoBinding = IoBinding },
        "ort" => new DiffusionEngineOptions { Provider = Provider, UseIoBinding = IoBinding, OnnxRuntimeDefaultThreadsForLargeParts = true },
        _ when int.TryParse(threads, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0 =>
            new DiffusionEngineOptions { Provider = Provider, UseIoBinding = IoBinding, IntraOpThreads = count },
        _ => throw new ArgumentException($"--threads entries are auto, ort or a positive count, not '{threads}'"),
    };

    public static PipelineBenchmarkOptions Parse(string[] args)
    {
        var options = new PipelineBenchmarkOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int NextInt() => int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--preset" => options with { Preset = Next() is var p && ModelPresetNames.All.TryGetValue(p, out var preset) ? preset : throw new ArgumentException($"unknown preset {p}; presets: {string.Join(", ", ModelPresetNames.All.Keys)}") },
                "--guidance" => options with { Guidance = double.Parse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture) },
                "--size" => options with { Size = NextInt() },
                "--steps" => options with { Steps = NextInt() },
                "--iterations" => options with { Iterations = NextInt() },
                "--count" => options with { Count = NextInt() },
                "--provider" => options with { Provider = Enum.Parse<ExecutionProviderKind>(Next(), ignoreCase: true) },
                "--io-binding" => options with { IoBinding = Next() switch { "on" => true, "off" => false, _ => null } },
                "--fp16" => options with { Fp16 = true },
                "--model" => options with { ModelDirectory = Next() },
                "--scheduler" => options with { Scheduler = Next() },
                "--threads" => options with { Threads = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                var unknown => throw new ArgumentException($"unknown argument {unknown}"),
            };
        }

        foreach (var threads in options.Threads)
        {
            _ = options.EngineOptionsFor(threads);
        }

        return options;
    }
}
