using Azure.Storage.Blobs;
using DiffusionFunctions.Hosting.Tests.Check;
using DiffusionFunctions.Hosting.Tests.RealHost;
using DiffusionFunctions.TestSupport;
using Xunit.Abstractions;

namespace DiffusionFunctions.Hosting.Tests;

/// <summary>
/// Both apps' build outputs in the real Azure Functions host (4.1037.0, <c>../shared/tools/functions-host</c>), each its
/// own host (own port, own host id) on the suite's Azurite, the worker with the shipped tiny-shapes model on CPU; a
/// function key read from the host's key store; then <see cref="UserLevelCheck"/>. A failure carries both hosts' log
/// tails; both hosts and their language workers are stopped whatever happens.
/// </summary>
[Collection(HostingCollection.Name)]
public sealed class RealFunctionsHostTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Both_apps_in_the_real_Functions_host_pass_the_user_level_check()
    {
        using var timeout = new CancellationTokenSource(CheckTimeout);
        var storage = azurite.CreateNames();
        var blobs = new BlobServiceClient(storage.ConnectionString);
        var run = Guid.NewGuid().ToString("N")[..8];
        var logs = Directory.CreateTempSubdirectory("dfx-functions-host-");
        var hosts = new List<FunctionsHostProcess>();
        var leftovers = new List<string>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            // Both hosts start at once: the worker's model load and warm-up overlap with the API's start.
            var starting = new[]
            {
                FunctionsHostProcess.StartAsync(FunctionAppBuildOutputs.Api, "dfx-api-" + run, FunctionAppBuildOutputs.ApiSampleSettings,
                    RealHostAppSettings.ForApi(storage), Path.Combine(logs.FullName, "api-host.log"), timeout.Token),
                FunctionsHostProcess.StartAsync(FunctionAppBuildOutputs.Worker, "dfx-worker-" + run, FunctionAppBuildOutputs.WorkerSampleSettings,
                    RealHostAppSettings.ForWorker(storage), Path.Combine(logs.FullName, "worker-host.log"), timeout.Token),
            };
            var failures = new List<Exception>();
            foreach (var start in starting)
            {
                try
                {
                    hosts.Add(await start);
                }
                catch (Exception ex)
                {
                    failures.Add(ex); // the other start is still collected, so its host is stopped below
                }
            }

            if (failures.Count > 0)
            {
                throw new AggregateException("A Functions host did not start.", failures);
            }

            var (api, worker) = (hosts[0], hosts[1]);
            try
            {
                var started = DateTimeOffset.UtcNow;
                await Task.WhenAll(
                    api.WaitUntilAnswersAsync(http, "api/health", StartTimeout, timeout.Token),
                    worker.WaitUntilAnswersAsync(http, "admin/host/ping", StartTimeout, timeout.Token));
                output.WriteLine($"real host: both hosts answer after {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s");
                foreach (var host in hosts)
                {
                    // The group probe sees the running host and its language worker, so "none left" later means something.
                    var group = host.RemainingProcesses();
                    Assert.True(group.Count(p => p.Contains("(dotnet)", StringComparison.Ordinal)) >= 2, $"Process group of {host.HostId}: {string.Join(", ", group)}");
                }

                var key = await FunctionHostKeyStore.ReadDefaultHostKeyAsync(
                    http, new Uri(api.BaseAddress, "api/generations/" + Guid.NewGuid().ToString("N")), blobs, api.HostId, StartTimeout, timeout.Token);
                var apps = new FunctionAppsUnderTest(
                    api.BaseAddress, key, storage, UndecodablePoisonMessageHandling.LeftInPoisonQueue, RealHostAppSettings.RedeliveryWait);
                await new UserLevelCheck(apps, http, output.WriteLine).RunAsync(timeout.Token);
            }
            catch (Exception ex)
            {
                throw HostedCheckFailedException.With(ex, [("API host " + api.HostId, api.LogTail()), ("worker host " + worker.HostId, worker.LogTail())]);
            }
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
                if (host.IsRunning)
                {
                    leftovers.Add($"host {host.HostId} (PID {host.HostPid})");
                }

                leftovers.AddRange(host.RemainingProcesses().Select(p => $"{p} in the process group of host {host.HostId}"));
                await FunctionHostKeyStore.DeleteAsync(blobs, host.HostId);
            }

            foreach (var leftover in leftovers)
            {
                output.WriteLine("still running after the hosts were stopped: " + leftover);
            }

            logs.Delete(recursive: true);
        }

        // Reached when the check passed: then stopping must have stopped everything too (hosts and language workers).
        Assert.Empty(leftovers);
    }
}
