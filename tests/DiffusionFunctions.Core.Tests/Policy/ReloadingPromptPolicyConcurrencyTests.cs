using DiffusionFunctions.Core.Policy;

namespace DiffusionFunctions.Core.Tests.Policy;

/// <summary>Checks running on other threads while the policy is swapped never see a half-loaded policy.</summary>
public sealed class ReloadingPromptPolicyConcurrencyTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("policy-concurrency-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Evaluations_during_reloads_always_see_a_complete_policy()
    {
        var path = Path.Combine(folder, "policy.json");
        File.WriteAllText(path, PolicyDocuments.Words("gore"));
        using var policy = new ReloadingPromptPolicy(new FilePromptPolicySource(path), TimeSpan.Zero, new ListLogger<ReloadingPromptPolicy>(), TimeProvider.System);
        using var stop = new CancellationTokenSource();

        using var running = new CountdownEvent(2);
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var checks = 0;
            while (!stop.IsCancellationRequested)
            {
                var verdict = policy.Evaluate("so much g0re");
                Assert.Equal([new PromptPolicyMatch("gore", "test")], verdict.Matches);
                if (++checks == 1)
                {
                    running.Signal();
                }
            }

            return checks;
        })).ToArray();
        Assert.True(running.Wait(TimeSpan.FromSeconds(30)), "the reader threads did not start within 30 s");

        var reloads = 0;
        for (var i = 0; i < 20; i++)
        {
            File.WriteAllText(path, PolicyDocuments.Words(i % 2 == 0 ? ["gore", "blood"] : ["gore"]));
            if (await policy.ReloadIfChangedAsync() == PromptPolicyReloadResult.Reloaded)
            {
                reloads++;
            }
        }

        await stop.CancelAsync();
        var counts = await Task.WhenAll(readers);

        Assert.Equal(20, reloads);
        Assert.All(counts, c => Assert.True(c > 0)); // each reader checked (and asserted) while reloads ran
    }
}
