using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using DiffusionFunctions.Diffusion.Tokenization;

namespace DiffusionFunctions.Benchmarks.Tokenization;

/// <summary>
/// Tokenisations per second of <see cref="ClipTokenizer.Encode"/> for typical Stable Diffusion prompts, with a cold merge
/// cache (cleared before every prompt: every word goes through BPE) and a warm one (the steady state of a worker), plus
/// the load time and bytes allocated per encode.
/// Options: <c>--bpe PATH</c> (default ../shared/data/clip/bpe_simple_vocab_16e6.txt.gz beside the repository),
/// <c>--seconds S</c> per figure (default 2).
/// </summary>
public sealed class ClipTokenizerBenchmarkReport : IBenchmarkReport
{
    /// <summary>Typical prompts: short, weighted, long (over 77 tokens), non-ASCII, HTML-escaped.</summary>
    internal static readonly string[] TypicalPrompts =
    [
        "a photo of a cat",
        "a photo of an astronaut riding a horse on mars",
        "(masterpiece:1.2), best quality, ultra-detailed, portrait of a woman, soft light, 85mm, bokeh",
        "a beautiful landscape painting of mountains and rivers at sunset, highly detailed, digital art, by greg rutkowski and alphonse mucha, trending on artstation, 4k, sharp focus, dramatic lighting, volumetric fog, octane render, unreal engine, concept art, matte painting, cinematic composition, golden hour, award winning",
        "cyberpunk city street at night, neon signs, rain, reflections, blade runner style",
        "東京の夜景、ネオンサイン, café crème brûlée 🐱✨",
        "Tom &amp; Jerry&#39;s &quot;cartoon&quot; &lt;3",
        "an isometric cutaway of a cozy wizard's tower, it's full of books, potions and a sleepy owl",
    ];

    public string Name => "tokenizer";

    public string Description => "ClipTokenizer.Encode tokenisations/s for typical prompts, cold and warm merge cache";

    public Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var bpePath = OptionValue(args, "--bpe") ?? FindDefaultVocabulary();
        var seconds = double.Parse(OptionValue(args, "--seconds") ?? "2", CultureInfo.InvariantCulture);
        if (bpePath is null || !File.Exists(bpePath))
        {
            output.WriteLine($"tokenizer: CLIP vocabulary not found ({bpePath ?? "no ../shared beside the repository"}); pass --bpe PATH");
            return Task.FromResult(2);
        }

        var machine = $"CPU x{Environment.ProcessorCount} {RuntimeInformation.ProcessArchitecture}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}{LoadAverage()}";
        var tokensPerPrompt = 0.0;

        var loadWatch = Stopwatch.StartNew();
        var tokenizer = ClipTokenizer.FromOpenAiBpe(bpePath);
        loadWatch.Stop();
        foreach (var prompt in TypicalPrompts)
        {
            tokensPerPrompt += tokenizer.EncodeWithoutSpecialTokens(prompt).Count;
        }

        tokensPerPrompt /= TypicalPrompts.Length;
        var shape = $"{TypicalPrompts.Length} typical prompts, mean {tokensPerPrompt:F1} BPE tokens, 77 positions, 1 thread";
        output.WriteLine($"tokenizer load-openai-bpe {loadWatch.Elapsed.TotalMilliseconds:F1} ms ({Path.GetFileName(bpePath)}, 48894 merges; {machine}; 1 iteration; target < 500 ms)");

        // Warm-up: JIT every path, both with and without the cache.
        Measure(tokenizer, clearCache: true, TimeSpan.FromSeconds(seconds / 4), cancellationToken);
        Measure(tokenizer, clearCache: false, TimeSpan.FromSeconds(seconds / 4), cancellationToken);

        var cold = Measure(tokenizer, clearCache: true, TimeSpan.FromSeconds(seconds), cancellationToken);
        output.WriteLine($"tokenizer encode-cold-cache {cold.PerSecond:N0} tokenisations/s ({shape}; cache cleared before each prompt; {machine}; {cold.Iterations:N0} iterations; target >= 2,000/s)");

        var warm = Measure(tokenizer, clearCache: false, TimeSpan.FromSeconds(seconds), cancellationToken);
        output.WriteLine($"tokenizer encode-warm-cache {warm.PerSecond:N0} tokenisations/s ({shape}; merge cache warm; {machine}; {warm.Iterations:N0} iterations; target >= 50,000/s)");
        output.WriteLine($"tokenizer encode-warm-alloc {warm.BytesPerCall:N0} bytes/tokenisation ({shape}; merge cache warm; {machine}; {warm.Iterations:N0} iterations; target < 4,096 B)");
        output.WriteLine($"tokenizer encode-cold-alloc {cold.BytesPerCall:N0} bytes/tokenisation ({shape}; cache cleared before each prompt; {machine}; {cold.Iterations:N0} iterations; no target)");
        return Task.FromResult(0);
    }

    private readonly record struct Measurement(double PerSecond, long Iterations, double BytesPerCall);

    private static Measurement Measure(ClipTokenizer tokenizer, bool clearCache, TimeSpan duration, CancellationToken cancellationToken)
    {
        long iterations = 0;
        var checksum = 0;
        var clearTicks = 0L;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clearAllocated = 0L;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var prompt in TypicalPrompts)
            {
                if (clearCache)
                {
                    // Clearing is not tokenising: keep its time and allocations out of the figures.
                    var clearStart = Stopwatch.GetTimestamp();
                    var clearAllocBefore = GC.GetAllocatedBytesForCurrentThread();
                    tokenizer.ClearMergeCache();
                    clearAllocated += GC.GetAllocatedBytesForCurrentThread() - clearAllocBefore;
                    clearTicks += Stopwatch.GetTimestamp() - clearStart;
                }

                checksum += tokenizer.Encode(prompt).TokenCount;
                iterations++;
            }
        }

        watch.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore - clearAllocated;
        var elapsed = watch.Elapsed - Stopwatch.GetElapsedTime(0, clearTicks);
        GC.KeepAlive(checksum);
        return new Measurement(iterations / elapsed.TotalSeconds, iterations, (double)allocated / iterations);
    }

    /// <summary>The 1-minute load average on Linux (figures from a busy shared machine are not comparable), else empty.</summary>
    private static string LoadAverage()
    {
        try
        {
            var text = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg") : null;
            return text is null ? string.Empty : $", load avg {text.Split(' ')[0]}";
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private static string? OptionValue(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static string? FindDefaultVocabulary()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "DiffusionFunctions.sln")))
                {
                    return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "clip", "bpe_simple_vocab_16e6.txt.gz"));
                }
            }
        }

        return null;
    }
}
