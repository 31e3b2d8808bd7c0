using DiffusionFunctions.Core.Policy;
using Microsoft.Extensions.Logging;

namespace DiffusionFunctions.Core.Tests.Policy;

/// <summary>Loading and reloading a policy from a real temporary file.</summary>
public sealed class ReloadingPromptPolicyFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("policy-tests-").FullName;
    private readonly ListLogger<ReloadingPromptPolicy> logger = new();

    private string PolicyPath => Path.Combine(folder, "policy.json");

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task A_changed_file_is_picked_up_and_its_new_terms_apply()
    {
        File.WriteAllText(PolicyPath, PolicyDocuments.Words("gore"));
        using var policy = Create();
        Assert.False(policy.Evaluate("a river of blood").IsBlocked);
        var firstVersion = policy.CurrentVersion;

        File.WriteAllText(PolicyPath, PolicyDocuments.Words("gore", "blood"));
        var result = await policy.ReloadIfChangedAsync();

        Assert.Equal(PromptPolicyReloadResult.Reloaded, result);
        Assert.Equal([new PromptPolicyMatch("blood", "test")], policy.Evaluate("a river of bl00d").Matches);
        Assert.NotEqual(firstVersion, policy.CurrentVersion);
        var entry = Assert.Single(logger.Entries, e => e.EventId == 2);
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Equal(2, entry.Values["TermCount"]);
        Assert.Equal(firstVersion, entry.Values["PreviousVersion"]);
    }

    [Fact]
    public async Task An_unchanged_file_is_not_reloaded()
    {
        File.WriteAllText(PolicyPath, PolicyDocuments.Words("gore"));
        using var policy = Create();
        var compiled = policy.Current;

        File.WriteAllText(PolicyPath, PolicyDocuments.Words("gore")); // rewritten, same content

        Assert.Equal(PromptPolicyReloadResult.Unchanged, await policy.ReloadIfChangedAsync());
        Assert.Same(compiled, policy.Current);
    }

    [Fact]
    public async Task A_broken_new_version_keeps_the_last_good_one_and_is_logged_once()
    {
        File.WriteAllText(PolicyPath, PolicyDocuments.Words("gore"));
        using var policy = Create();
        var goodVersion = policy.CurrentVersion;

        File.WriteAllText(PolicyPath, PolicyDocuments.Broken);
        Assert.Equal(PromptPolicyReloadResult.Rejected, await policy.ReloadIfChangedAsync());
        Assert.Equal(PromptPolicyReloadResult.Unchanged, await policy.ReloadIfChangedAsync());

        Assert.True(policy.Evaluate("gore").IsBlocked);
        Assert.Equal(goodVersion, policy.CurrentVersion);
        var entry = Assert.Single(logger.Entries, e => e.EventId == 3);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Equal(PolicyPath, entry.Values["PolicySource"]);
        Assert.Equal(goodVersion, entry.Values["PolicyVersion"]);
        Assert.Contains("terms[0].match 'regex' is not one of word, phrase, substring", (string)entry.Values["Reason"]!, StringComparison.Ordinal);

        // Fixed again: the next check loads it.
        File.WriteAllText(PolicyPath, PolicyDocuments.Words("gore", "blood"));
        Assert.Equal(PromptPolicyReloadResult.Reloaded, await policy.ReloadIfChangedAsync());
        Assert.True(policy.Evaluate("blood").IsBlocked);
    }

    [Fact]
    public async Task A_missing_file_after_start_up_keeps_the_last_good_policy_and_logs_a_warning()
    {
        File.WriteAllText(PolicyPath, PolicyDocuments.Words("gore"));
        using var policy = Create();

        File.Delete(PolicyPath);

        Assert.Equal(PromptPolicyReloadResult.SourceUnavailable, await policy.ReloadIfChangedAsync());
        Assert.True(policy.Evaluate("gore").IsBlocked);
        var entry = Assert.Single(logger.Entries, e => e.EventId == 4);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.IsType<FileNotFoundException>(entry.Exception);
    }

    [Fact]
    public void A_policy_that_cannot_be_loaded_at_start_up_fails_fast_naming_the_setting()
    {
        File.WriteAllText(PolicyPath, PolicyDocuments.Broken);

        var ex = Assert.Throws<PromptPolicyLoadException>(() => Create());

        Assert.StartsWith($"The prompt policy could not be loaded from PromptPolicy:Source ({PolicyPath}), and there is no earlier version to fall back on: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("terms[0].match 'regex'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Critical, Assert.Single(logger.Entries).Level);
    }

    [Fact]
    public async Task The_background_loop_reloads_a_changed_file_at_the_interval()
    {
        File.WriteAllText(PolicyPath, PolicyDocuments.Words("gore"));
        using var policy = Create(TimeSpan.FromMilliseconds(200));
        Assert.NotNull(policy.ReloadLoop);

        File.WriteAllText(PolicyPath, PolicyDocuments.Words("gore", "blood"));

        // Poll the observable outcome against a deadline; the loop checks every 200 ms.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!policy.Evaluate("blood").IsBlocked && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(policy.Evaluate("blood").IsBlocked, "the background loop did not pick up the changed file within 20 s");
    }

    [Fact]
    public async Task Disposing_stops_the_background_loop()
    {
        File.WriteAllText(PolicyPath, PolicyDocuments.Words("gore"));
        var policy = Create(TimeSpan.FromMilliseconds(200));

        policy.Dispose();

        await policy.ReloadLoop!.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(policy.ReloadLoop.IsCompletedSuccessfully);
    }

    private ReloadingPromptPolicy Create(TimeSpan? interval = null) =>
        new(new FilePromptPolicySource(PolicyPath), interval ?? TimeSpan.Zero, logger, TimeProvider.System);
}
