using System.Text.Json;
using DiffusionFunctions.TestSupport;

namespace DiffusionFunctions.LocalRunner.Tests;

/// <summary>
/// Under <c>func start</c> both apps run side by side from their samples (issue 14, item 11): the API on 7071, as the
/// README and <c>--serve</c> say, and the worker on 7072, as the local run starts it.
/// </summary>
public sealed class SampleSettingsPortTests
{
    [Theory]
    [InlineData("src/DiffusionFunctions.Api/local.settings.sample.json", 7071)]
    [InlineData("src/DiffusionFunctions.Worker/local.settings.sample.json", 7072)]
    public void The_sample_settings_give_each_app_its_own_port(string sample, int port)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, sample)));
        Assert.Equal(port, json.RootElement.GetProperty("Host").GetProperty("LocalHttpPort").GetInt32());
    }
}
