using DiffusionFunctions.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Api.Tests;

public sealed class ApiOptionsTests
{
    [Theory]
    [InlineData("DiffusionFunctions:Api:MaxRequestBytes", "10")]
    [InlineData("DiffusionFunctions:Api:RetryAfterSeconds", "0")]
    [InlineData("DiffusionFunctions:Storage:JobsContainer", "Jobs_Container")]
    [InlineData("DiffusionFunctions:Generation:DefaultWidth", "500")]
    public void Bad_setting_fails_start_up_with_a_message_naming_it(string setting, string value)
    {
        var settings = AzuriteTestNames.CreateUnique().ToSettings();
        settings[setting] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddDiffusionApi(configuration);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Good_settings_pass_start_up_validation()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(AzuriteTestNames.CreateUnique().ToSettings()).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddDiffusionApi(configuration);
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(2, provider.GetRequiredService<IOptions<ApiOptions>>().Value.RetryAfterSeconds);
    }
}
