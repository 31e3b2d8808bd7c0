using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using DiffusionFunctions.Core.Policy;

namespace DiffusionFunctions.Benchmarks.Policy;

/// <summary>
/// Prompt policy throughput: checks per second on one thread for typical 200-character prompts against 10 and 10,000
/// synthetic terms, the ratio between the two, and bytes allocated per check. Judged against issue 2's target: at least
/// 250,000 checks/s with 10,000 terms, and the 10,000-term figure within 2x of the 10-term one.
/// Options: <c>--seconds N</c> (measuring time per figure, default 3), <c>--length N</c> (prompt length, default 200).
/// </summary>
public sealed class PolicyBenchmarkReport : IBenchmarkReport
{
    private const double TargetChecksPerSecond = 250_000;
    private const double TargetRatio = 0.5;
    private const int PromptCount = 1_000;

    /// <inheritdoc />
    public string Name => "policy";

    /// <inheritdoc />
    public string Description => "Prompt policy checks/s on one core (per CPU-second and per wall second), 10 vs 10,000 terms, 200-character prompts";

    /// <inheritdoc />
    public Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var seconds = Option(args, "--seconds", 3.0);
        var length = (int)Option(args, "--length", 200);
        var machine = $"{RuntimeInformation.ProcessArchitecture} {RuntimeInformation.OSDescription.Trim()}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.FrameworkDescription}";
        output.WriteLine($"policy machine: {machine}; single thread; Stopwatch harness, 1 s warm-up, {seconds:0.#} s per figure");

        var allTerms = SyntheticPolicyData.Terms(10_000);
        var results = new Dictionary<int, double>();
        foreach (var termCount in new[] { 10, 10_000 })
        {
            cancellationToken.ThrowIfCancellationRequested();
            var terms = allTerms.Take(termCount).ToList();
            var build = Stopwatch.StartNew();
            var policy = CompiledPromptPolicy.Create(terms, "synthetic");
            build.Stop();
            var prompts = SyntheticPolicyData.Prompts(PromptCount, length, terms);
            var blocked = prompts.Count(p => policy.Evaluate(p).IsBlocked);
            var tight = prompts.Count(HasPunctuationInsideWords);
            var meanLength = prompts.Average(p => p.Length);

            Measure(policy, prompts, TimeSpan.FromSeconds(1)); // warm-up: JIT tiering, caches
            var (iterations, elapsed, cpu, bytes) = Measure(policy, prompts, TimeSpan.FromSeconds(seconds));
            var perCpuSecond = iterations / cpu.TotalSeconds;
            results[termCount] = perCpuSecond;

            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"policy checks/s: {perCpuSecond,12:N0} checks per CPU-second ({iterations / elapsed.TotalSeconds:N0} per wall second) | terms {termCount,6:N0} ({policy.StateCount:N0} states, built in {build.Elapsed.TotalMilliseconds:N0} ms) | prompt {meanLength:N0} chars (mean of {PromptCount:N0}, {blocked} blocked, {tight} read twice for in-word punctuation) | single thread | {iterations:N0} iterations, {cpu.TotalSeconds:N2} s CPU in {elapsed.TotalSeconds:N2} s wall | {bytes / (double)iterations:N1} B/check | target >= {TargetChecksPerSecond:N0} checks/s at 10,000 terms"));
        }

        {
            // Not judged against the target: the cost of the non-ASCII path (NFKD through ICU, look-alike folding).
            var terms = allTerms;
            var policy = CompiledPromptPolicy.Create(terms, "synthetic");
            var prompts = SyntheticPolicyData.Prompts(PromptCount, length, terms).Select(SyntheticPolicyData.Accent).ToArray();
            Measure(policy, prompts, TimeSpan.FromSeconds(1));
            var (iterations, elapsed, cpu, bytes) = Measure(policy, prompts, TimeSpan.FromSeconds(seconds));
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"policy checks/s (non-ASCII prompts): {iterations / cpu.TotalSeconds,12:N0} checks per CPU-second ({iterations / elapsed.TotalSeconds:N0} per wall second) | terms {terms.Count,6:N0} | prompt {prompts.Average(p => p.Length):N0} chars with accents and Cyrillic look-alikes | single thread | {iterations:N0} iterations | {bytes / (double)iterations:N1} B/check | information only"));
        }

        var ratio = results[10_000] / results[10];
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"policy scaling: 10,000-term / 10-term throughput = {ratio:N2} | target >= {TargetRatio:N2} (10,000-term figure within 2x of the 10-term one) | {(ratio >= TargetRatio && results[10_000] >= TargetChecksPerSecond ? "meets" : "MISSES")} target"));
        return Task.FromResult(0);
    }

    private static (long Iterations, TimeSpan Elapsed, TimeSpan Cpu, long Bytes) Measure(CompiledPromptPolicy policy, string[] prompts, TimeSpan duration)
    {
        long iterations = 0;
        var blocked = 0;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var cpuBefore = ThreadCpuClock.Now();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            foreach (var prompt in prompts)
            {
                if (policy.Evaluate(prompt).IsBlocked)
                {
                    blocked++;
                }
            }

            iterations += prompts.Length;
        }

        watch.Stop();
        var cpu = ThreadCpuClock.Now() - cpuBefore;
        GC.KeepAlive(blocked);
        return (iterations, watch.Elapsed, cpu, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
    }

    private static bool HasPunctuationInsideWords(string prompt)
    {
        for (var i = 1; i + 1 < prompt.Length; i++)
        {
            if (!char.IsLetterOrDigit(prompt[i]) && !char.IsWhiteSpace(prompt[i]) && prompt[i] is not ('@' or '$' or '!')
                && char.IsLetterOrDigit(prompt[i - 1]) && char.IsLetterOrDigit(prompt[i + 1]))
            {
                return true;
            }
        }

        return false;
    }

    private static double Option(string[] args, string name, double fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && double.TryParse(args[index + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : fallback;
    }
}
