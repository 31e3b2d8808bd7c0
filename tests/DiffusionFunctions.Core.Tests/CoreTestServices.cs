using DiffusionFunctions.Core.Storage;
using DiffusionFunctions.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DiffusionFunctions.Core.Tests;

/// <summary>Builds the Core service graph (<see cref="DiffusionCoreServiceCollectionExtensions.AddDiffusionCore"/>) from settings.</summary>
internal static class CoreTestServices
{
    public static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddDiffusionCore(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    /// <summary>Core services over fresh Azurite containers and queues (created).</summary>
    public static async Task<(ServiceProvider Services, AzuriteTestNames Names)> StartAsync(AzuriteFixture azurite, Dictionary<string, string?>? extra = null)
    {
        var names = azurite.CreateNames();
        var settings = names.ToSettings();
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        var services = Build(settings);
        await services.GetRequiredService<StorageResourcesInitializer>().EnsureCreatedAsync();
        return (services, names);
    }
}
