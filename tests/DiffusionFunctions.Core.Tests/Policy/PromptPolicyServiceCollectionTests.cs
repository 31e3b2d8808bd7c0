using DiffusionFunctions.Core.Policy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Tests.Policy;

/// <summary>AddPromptPolicy: registration, option validation and the start-up load, through a real service provider.</summary>
public sealed class PromptPolicyServiceCollectionTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("policy-di-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Without_a_source_the_embedded_default_policy_is_used()
    {
        using var services = Build(new Dictionary<string, string?>());

        var policy = services.GetRequiredService<IPromptPolicy>();

        Assert.Same(services.GetRequiredService<ReloadingPromptPolicy>(), policy);
        Assert.Equal([new PromptPolicyMatch("gore", "violence")], policy.Evaluate("so much gore").Matches);
        Assert.Equal("embedded", ((ReloadingPromptPolicy)policy).CurrentVersion);
        Assert.Null(((ReloadingPromptPolicy)policy).ReloadLoop);
    }

    [Fact]
    public void A_file_source_and_reload_interval_are_bound_from_the_PromptPolicy_section()
    {
        var path = Path.Combine(folder, "policy.json");
        File.WriteAllText(path, PolicyDocuments.Words("blood"));
        using var services = Build(new() { ["PromptPolicy:Source"] = path, ["PromptPolicy:ReloadInterval"] = "00:00:05" });

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(TimeSpan.FromSeconds(5), services.GetRequiredService<IOptions<PromptPolicyOptions>>().Value.ReloadInterval);
        var policy = services.GetRequiredService<ReloadingPromptPolicy>();
        Assert.Equal(path, policy.SourceDescription);
        Assert.NotNull(policy.ReloadLoop);
        Assert.True(policy.Evaluate("blood").IsBlocked);
        Assert.False(policy.Evaluate("gore").IsBlocked);
    }

    [Fact]
    public void A_relative_file_path_is_resolved_against_the_app_base_directory()
    {
        var name = $"policy-{Guid.NewGuid():N}.json";
        var path = Path.Combine(AppContext.BaseDirectory, name);
        File.WriteAllText(path, PolicyDocuments.Words("blood"));
        try
        {
            using var services = Build(new() { ["PromptPolicy:Source"] = name });

            Assert.Equal(path, services.GetRequiredService<ReloadingPromptPolicy>().SourceDescription);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_policy_file_stops_start_up_with_a_message_naming_the_setting()
    {
        var path = Path.Combine(folder, "missing.json");
        using var services = Build(new() { ["PromptPolicy:Source"] = path });

        var ex = Assert.Throws<PromptPolicyLoadException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.StartsWith($"The prompt policy could not be loaded from PromptPolicy:Source ({path})", ex.Message, StringComparison.Ordinal);
        Assert.IsType<FileNotFoundException>(ex.InnerException);
    }

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "PromptPolicy:ReloadInterval", "-00:00:05", "PromptPolicy:ReloadInterval must be 00:00:00 (no reloading) or between 00:00:01 and 1.00:00:00; got -00:00:05." },
        { "PromptPolicy:ReloadInterval", "2.00:00:00", "PromptPolicy:ReloadInterval must be 00:00:00 (no reloading) or between 00:00:01 and 1.00:00:00; got 2.00:00:00." },
        { "PromptPolicy:Source", "blob:policies", "PromptPolicy:Source 'blob:policies' must be 'blob:<container>/<blob name>'." },
        { "PromptPolicy:Source", "blob:Bad_Container/policy.json", "PromptPolicy:Source 'blob:Bad_Container/policy.json' names container 'Bad_Container', which is not a valid container name" },
        { "PromptPolicy:Source", "https://account.blob.core.windows.net/", "PromptPolicy:Source 'https://account.blob.core.windows.net/' is a URL but names no container and blob" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Bad_settings_fail_start_up_validation_naming_the_setting(string key, string value, string expectedMessagePart)
    {
        using var services = Build(new() { [key] = value });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(expectedMessagePart, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reload_interval_that_is_not_a_time_span_fails_naming_the_setting()
    {
        using var services = Build(new() { ["PromptPolicy:ReloadInterval"] = "thirty seconds" });

        var ex = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("'PromptPolicy:ReloadInterval'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_blob_source_without_a_registered_BlobServiceClient_fails_with_a_clear_message()
    {
        using var services = Build(new() { ["PromptPolicy:Source"] = "blob:policies/policy.json" });

        var ex = Assert.Throws<PromptPolicyLoadException>(() => services.GetRequiredService<IPromptPolicy>());

        Assert.Equal("PromptPolicy:Source 'blob:policies/policy.json' names a blob, but no BlobServiceClient is registered (AddAzureClients).", ex.Message);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddLogging()
            .AddPromptPolicy(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
