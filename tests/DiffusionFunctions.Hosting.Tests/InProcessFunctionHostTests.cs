using DiffusionFunctions.Hosting.Tests.Check;
using DiffusionFunctions.LocalRunner;
using DiffusionFunctions.TestSupport;
using Xunit.Abstractions;

namespace DiffusionFunctions.Hosting.Tests;

/// <summary>
/// The local run's in-process host (the path for users without <c>func</c>): the same function classes behind ASP.NET
/// Core and the in-process queue listener, with the run command's settings, the shipped tiny-shapes model on CPU and the
/// suite's Azurite, checked by the same <see cref="UserLevelCheck"/> as the real host. It does not check function keys,
/// so the check's 401 step is skipped there (and says so); undecodable poison messages are deleted by its listener.
/// </summary>
[Collection(HostingCollection.Name)]
public sealed class InProcessFunctionHostTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    /// <summary><c>InProcessQueueListenerOptions.RetryDelay</c> as <see cref="InProcessFunctionHost"/> sets it.</summary>
    private static readonly TimeSpan ListenerRetryDelay = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Both_apps_in_the_in_process_host_pass_the_user_level_check()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var storage = azurite.CreateNames();
        var settings = LocalSettings.Create(Path.Combine(RepositoryPaths.Root, "models", "tiny-shapes"));
        foreach (var (key, value) in storage.ToSettings())
        {
            settings[key] = value;
        }

        settings["DiffusionFunctions:Engine:Provider"] = "Cpu";
        await using var host = await InProcessFunctionHost.StartAsync(settings, timeout.Token);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var apps = new FunctionAppsUnderTest(host.BaseAddress, FunctionKey: null, storage, UndecodablePoisonMessageHandling.Deleted, ListenerRetryDelay);

        await new UserLevelCheck(apps, http, output.WriteLine).RunAsync(timeout.Token);
    }
}
