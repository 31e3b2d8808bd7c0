using Azure.Storage.Blobs;
using DiffusionFunctions.Core.Policy;
using DiffusionFunctions.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Tests.Policy;

/// <summary>A policy kept in a blob on a real Azurite, loaded through AddPromptPolicy and reloaded when its ETag changes.</summary>
public sealed class ReloadingPromptPolicyBlobTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_changed_blob_is_reloaded_and_an_unchanged_one_is_not()
    {
        var blob = await UploadAsync(PolicyDocuments.WordsUtf8("gore"));
        using var services = Build($"blob:{blob.BlobContainerName}/{blob.Name}");
        services.GetRequiredService<IStartupValidator>().Validate();
        var policy = services.GetRequiredService<ReloadingPromptPolicy>();
        var firstETag = (await blob.GetPropertiesAsync()).Value.ETag.ToString();

        Assert.Equal(firstETag, policy.CurrentVersion);
        Assert.Equal(PromptPolicyReloadResult.Unchanged, await policy.ReloadIfChangedAsync());
        Assert.False(policy.Evaluate("blood").IsBlocked);

        await blob.UploadAsync(BinaryData.FromBytes(PolicyDocuments.WordsUtf8("gore", "blood")), overwrite: true);

        Assert.Equal(PromptPolicyReloadResult.Reloaded, await policy.ReloadIfChangedAsync());
        Assert.Equal([new PromptPolicyMatch("blood", "test")], policy.Evaluate("bl00d").Matches);
        Assert.NotEqual(firstETag, policy.CurrentVersion);
        Assert.Equal((await blob.GetPropertiesAsync()).Value.ETag.ToString(), policy.CurrentVersion);
    }

    [Fact]
    public async Task A_broken_blob_keeps_the_last_good_policy()
    {
        var blob = await UploadAsync(PolicyDocuments.WordsUtf8("gore"));
        using var services = Build(blob.Uri.ToString());
        var policy = services.GetRequiredService<ReloadingPromptPolicy>();

        await blob.UploadAsync(BinaryData.FromString(PolicyDocuments.Broken), overwrite: true);

        Assert.Equal(PromptPolicyReloadResult.Rejected, await policy.ReloadIfChangedAsync());
        Assert.True(policy.Evaluate("gore").IsBlocked);
        Assert.False(policy.Evaluate("blood").IsBlocked);
    }

    [Fact]
    public async Task A_missing_blob_at_start_up_fails_fast()
    {
        var names = azurite.CreateNames();
        await azurite.BlobService.GetBlobContainerClient(names.JobsContainer).CreateAsync();
        using var services = Build($"blob:{names.JobsContainer}/missing.json");

        var ex = Assert.Throws<PromptPolicyLoadException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.StartsWith($"The prompt policy could not be loaded from PromptPolicy:Source ({azurite.BlobService.Uri.AbsoluteUri.TrimEnd('/')}/", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BlobNotFound", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_blob_url_in_another_account_is_refused()
    {
        using var services = Build("https://otheraccount.blob.core.windows.net/policies/policy.json");

        var ex = Assert.Throws<PromptPolicyLoadException>(() => services.GetRequiredService<IPromptPolicy>());

        Assert.Equal(
            "PromptPolicy:Source 'https://otheraccount.blob.core.windows.net/policies/policy.json' is in storage account 'otheraccount', but the app's BlobServiceClient is for 'devstoreaccount1'.",
            ex.Message);
    }

    private async Task<BlobClient> UploadAsync(byte[] document)
    {
        var names = azurite.CreateNames();
        var container = azurite.BlobService.GetBlobContainerClient(names.JobsContainer);
        await container.CreateAsync();
        var blob = container.GetBlobClient("policy/prompt-policy.json");
        await blob.UploadAsync(BinaryData.FromBytes(document));
        return blob;
    }

    private ServiceProvider Build(string source)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["PromptPolicy:Source"] = source, ["PromptPolicy:ReloadInterval"] = "00:00:00" })
            .Build();
        return new ServiceCollection()
            .AddLogging()
            .AddSingleton(azurite.BlobService)
            .AddPromptPolicy(configuration)
            .BuildServiceProvider();
    }
}
