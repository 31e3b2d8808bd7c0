using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DiffusionFunctions.Core.Queue;
using DiffusionFunctions.Core.Storage;
using DiffusionFunctions.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class CoreServicesTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Start_up_creates_every_container_and_queue_including_the_poison_queue()
    {
        var names = azurite.CreateNames();
        await using var services = CoreTestServices.Build(names.ToSettings());

        await services.GetRequiredService<StorageResourcesInitializer>().StartAsync(CancellationToken.None);

        foreach (var container in names.Containers)
        {
            Assert.True((await azurite.BlobService.GetBlobContainerClient(container).ExistsAsync()).Value, container);
        }

        foreach (var queue in names.Queues)
        {
            Assert.True((await azurite.QueueService.GetQueueClient(queue).ExistsAsync()).Value, queue);
        }

        Assert.Equal(names.GenerationQueue + "-poison", services.GetRequiredService<IOptions<DiffusionStorageOptions>>().Value.PoisonQueue);
    }

    [Fact]
    public async Task Queue_messages_are_base64_on_the_wire_as_host_json_expects()
    {
        var (services, names) = await CoreTestServices.StartAsync(azurite);
        await using var _ = services;
        var message = GenerationQueueMessage.For(DiffusionFunctions.Core.Jobs.JobIds.New(), names.JobsContainer);

        await services.GetRequiredService<GenerationQueueClient>().SendAsync(message);

        var raw = (await azurite.RawQueueService.GetQueueClient(names.GenerationQueue).PeekMessageAsync()).Value.Body.ToString();
        Assert.Equal(message.ToJson(), Encoding.UTF8.GetString(Convert.FromBase64String(raw)));
    }

    [Fact]
    public async Task Result_urls_are_read_only_sas_that_expire_after_the_configured_lifetime()
    {
        var (services, names) = await CoreTestServices.StartAsync(azurite, new() { ["DiffusionFunctions:Storage:ResultUrlLifetime"] = "00:05:00" });
        await using var _ = services;
        var blob = azurite.BlobService.GetBlobContainerClient(names.ResultsContainer).GetBlobClient("j/0.png");
        await blob.UploadAsync(new BinaryData(TestImages.Png(8, 8)));
        var signer = services.GetRequiredService<ResultUrlSigner>();

        var url = await signer.GetReadUriAsync("j/0.png");

        var query = new BlobUriBuilder(url).Sas;
        Assert.Equal("r", query.Permissions);
        Assert.InRange(query.ExpiresOn - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(6));
        Assert.Equal(TestImages.Png(8, 8), (await new BlobClient(url).DownloadContentAsync()).Value.Content.ToArray());
        Assert.Equal(blob.Uri, signer.GetBlobUri("j/0.png"));
    }

    [Theory]
    [InlineData("DiffusionFunctions:Storage:JobsContainer", "Jobs")]
    [InlineData("DiffusionFunctions:Storage:InputsContainer", "in")]
    [InlineData("DiffusionFunctions:Storage:GenerationQueue", "queue--double")]
    [InlineData("DiffusionFunctions:Storage:ResultUrlLifetime", "00:00:10")]
    [InlineData("DiffusionFunctions:Generation:MaxSize", "1020")]
    [InlineData("DiffusionFunctions:Generation:DefaultSteps", "500")]
    [InlineData("DiffusionFunctions:Generation:DefaultScheduler", "eulerr")]
    [InlineData("DiffusionFunctions:Generation:DefaultWidth", "100")]
    [InlineData("DiffusionFunctions:Generation:MaxCount", "0")]
    [InlineData("DiffusionFunctions:Generation:DefaultStrength", "0")]
    public void Bad_setting_fails_fast_naming_the_setting(string setting, string value)
    {
        var settings = AzuriteTestNames.CreateUnique().ToSettings();
        settings[setting] = value;
        using var services = CoreTestServices.Build(settings);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_storage_setting_fails_fast_naming_AzureWebJobsStorage()
    {
        var settings = AzuriteTestNames.CreateUnique().ToSettings();
        settings.Remove("AzureWebJobsStorage");
        using var services = CoreTestServices.Build(settings);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("AzureWebJobsStorage__accountName", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Identity_based_settings_point_the_clients_at_the_account_endpoints()
    {
        using var services = CoreTestServices.Build(new()
        {
            ["AzureWebJobsStorage:accountName"] = "dfxstore",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
        });

        services.GetRequiredService<IStartupValidator>().Validate();
        var blob = services.GetRequiredService<BlobServiceClient>();
        var queue = services.GetRequiredService<QueueServiceClient>();

        Assert.Equal(new Uri("https://dfxstore.blob.core.windows.net/"), blob.Uri);
        Assert.Equal(new Uri("https://dfxstore.queue.core.windows.net/"), queue.Uri);
        Assert.False(blob.CanGenerateAccountSasUri, "Identity-based clients hold no account key.");
    }

    [Fact]
    public void Explicit_service_uris_win_over_the_account_name()
    {
        using var services = CoreTestServices.Build(new()
        {
            ["AzureWebJobsStorage:blobServiceUri"] = "https://custom.blob.example/",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://custom.queue.example/",
        });

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(new Uri("https://custom.blob.example/"), services.GetRequiredService<BlobServiceClient>().Uri);
        Assert.Equal(new Uri("https://custom.queue.example/"), services.GetRequiredService<QueueServiceClient>().Uri);
    }
}
