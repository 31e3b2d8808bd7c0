using System.Reflection;
using System.Text.Json;
using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Policy;
using DiffusionFunctions.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Api.Tests;

/// <summary>Keeps <c>src/DiffusionFunctions.Api/local.settings.sample.json</c> complete and valid.</summary>
public sealed class LocalSettingsSampleTests
{
    private static readonly Dictionary<string, string?> Values = Read();

    public static TheoryData<string, Type> OptionTypes => new()
    {
        { DiffusionStorageOptions.SectionName, typeof(DiffusionStorageOptions) },
        { GenerationOptions.SectionName, typeof(GenerationOptions) },
        { DiffusionJobsClientOptions.SectionName, typeof(DiffusionJobsClientOptions) },
        { ApiOptions.SectionName, typeof(ApiOptions) },
        { Models.ModelDescriptionOptions.SectionName, typeof(Models.ModelDescriptionOptions) },
        { PromptPolicyOptions.SectionName, typeof(PromptPolicyOptions) },
        { Core.Routing.ModelListOptions.SectionName, typeof(Core.Routing.ModelListOptions) },
        { Core.Workflows.WorkflowOptions.SectionName, typeof(Core.Workflows.WorkflowOptions) },
        { Core.Workflows.Batches.BatchOptions.SectionName, typeof(Core.Workflows.Batches.BatchOptions) },
    };

    [Theory]
    [MemberData(nameof(OptionTypes))]
    public void Sample_lists_every_setting_of_the_options(string section, Type options)
    {
        var settable = options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name);

        foreach (var name in settable)
        {
            var key = (section + ":" + name).Replace(":", "__", StringComparison.Ordinal);
            Assert.True(Values.ContainsKey(key), $"local.settings.sample.json lacks {key}.");
        }
    }

    [Fact]
    public void Sample_uses_azurite_and_passes_start_up_validation()
    {
        Assert.Equal("UseDevelopmentStorage=true", Values["AzureWebJobsStorage"]);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(Values.ToDictionary(kv => kv.Key.Replace("__", ":", StringComparison.Ordinal), kv => kv.Value))
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddDiffusionApi(configuration);
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void The_two_model_sample_passes_start_up_validation_and_describes_both_models()
    {
        var values = Read("api.local.settings.two-models.sample.json");
        Assert.Equal(Values.Keys.Where(k => k != "DiffusionFunctions__DefaultModel").Order(), values.Keys.Where(k => !k.Contains("__Models__", StringComparison.Ordinal) && k != "DiffusionFunctions__DefaultModel").Order());
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.ToDictionary(kv => kv.Key.Replace("__", ":", StringComparison.Ordinal), kv => kv.Value))
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddDiffusionApi(configuration);
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var models = provider.GetRequiredService<Models.ModelCatalog>().Models;
        Assert.Equal(["shapes", "sd15"], models.Select(m => m.Name));
        Assert.Equal(new Models.ModelDefaultsResource(512, 512, 25, 7.5, "pndm"), models[1].Defaults);
    }

    private static Dictionary<string, string?> Read(string file = "api.local.settings.sample.json")
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, file)));
        return json.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => (string?)p.Value.GetString());
    }
}
