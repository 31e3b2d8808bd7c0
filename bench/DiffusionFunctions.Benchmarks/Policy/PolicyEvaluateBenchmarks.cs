using BenchmarkDotNet.Attributes;
using DiffusionFunctions.Core.Policy;

namespace DiffusionFunctions.Benchmarks.Policy;

/// <summary>
/// BenchmarkDotNet view of one prompt check (mean time and allocations per call) for 10 and 10,000 synthetic terms; run
/// with <c>--filter '*PolicyEvaluate*'</c>. The <c>policy</c> Stopwatch report prints the checks/s figures judged against
/// the target.
/// </summary>
[MemoryDiagnoser]
public class PolicyEvaluateBenchmarks
{
    private CompiledPromptPolicy policy = null!;
    private string[] prompts = [];
    private int next;

    /// <summary>Number of policy terms.</summary>
    [Params(10, 10_000)]
    public int Terms { get; set; }

    /// <summary>Builds the policy and 1,000 prompts of 200 characters.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var terms = SyntheticPolicyData.Terms(10_000).Take(Terms).ToList();
        policy = CompiledPromptPolicy.Create(terms, "synthetic");
        prompts = SyntheticPolicyData.Prompts(1_000, 200, terms);
    }

    /// <summary>One check of the next prompt.</summary>
    [Benchmark]
    public bool Evaluate()
    {
        var prompt = prompts[next];
        next = next + 1 == prompts.Length ? 0 : next + 1;
        return policy.Evaluate(prompt).IsBlocked;
    }
}
