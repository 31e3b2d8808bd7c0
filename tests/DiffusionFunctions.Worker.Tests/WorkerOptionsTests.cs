using DiffusionFunctions.ModelGeneration;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Worker.Tests;

/// <summary>A bad setting stops the worker at start-up with a message naming it.</summary>
public sealed class WorkerOptionsTests
{
    [Theory]
    [InlineData("DiffusionFunctions:Worker:ModelPath", "", "DiffusionFunctions:Worker:ModelPath is required")]
    [InlineData("DiffusionFunctions:Worker:ModelPath", "/nonexistent/model", "DiffusionFunctions:Worker:ModelPath '/nonexistent/model' has no model_index.json")]
    [InlineData("DiffusionFunctions:Worker:ProgressInterval", "00:00:00", "DiffusionFunctions:Worker:ProgressInterval must be more than 0")]
    [InlineData("DiffusionFunctions:Worker:MaxDequeueCount", "0", "DiffusionFunctions:Worker:MaxDequeueCount must be between 1 and 100")]
    [InlineData("DiffusionFunctions:Events:WebhookSecret", "not-a-secret", "DiffusionFunctions:Events:WebhookSecret: a webhook secret must start with 'whsec_'")]
    [InlineData("DiffusionFunctions:Events:TopicKey", "key-without-topic", "DiffusionFunctions:Events:TopicKey is set but DiffusionFunctions:Events:TopicEndpoint is not")]
    [InlineData("DiffusionFunctions:Events:WebhookMaxAttempts", "0", "DiffusionFunctions:Events:WebhookMaxAttempts must be between 1 and 20")]
    public async Task A_bad_setting_fails_start_up_naming_it(string key, string value, string message)
    {
        var settings = AzuriteTestNames.CreateUnique().ToSettings();
        settings["DiffusionFunctions:Worker:ModelPath"] = await GeneratedModelCache.GetTinyAsync();
        settings["DiffusionFunctions:Storage:CreateResourcesOnStartup"] = "false";
        settings[key] = value;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddDiffusionWorker(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_match_the_documented_values()
    {
        var worker = new WorkerOptions();
        var events = new GenerationEventOptions();

        Assert.Equal(TimeSpan.FromSeconds(1), worker.ProgressInterval);
        Assert.Equal(3, worker.MaxDequeueCount);
        Assert.True(worker.WarmUp);
        Assert.False(events.AllowPrivateCallbackAddresses);
        Assert.Equal(5, events.WebhookMaxAttempts);
    }
}
