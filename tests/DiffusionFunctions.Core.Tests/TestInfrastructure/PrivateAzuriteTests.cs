using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Azure.Storage.Blobs;
using DiffusionFunctions.TestSupport;

namespace DiffusionFunctions.Core.Tests.TestInfrastructure;

/// <summary>
/// The suite's own Azurite (issue: <c>dotnet test</c> passes by itself on a fresh clone): a private instance answers on
/// free loopback ports, and nothing of it is left once its owner lets go, even when the owner is killed.
/// </summary>
public sealed class PrivateAzuriteTests
{
    [Fact]
    public async Task A_private_azurite_serves_storage_and_leaves_nothing_when_disposed()
    {
        var azurite = await PrivateAzurite.StartAsync();
        int azuritePid = azurite.AzuritePid, blobPort = azurite.BlobPort;
        var dataFolder = azurite.DataFolder;
        try
        {
            Assert.NotEqual(10000, azurite.BlobPort);
            Assert.True(Directory.Exists(dataFolder));
            var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("private-azurite-check");
            await container.CreateAsync();
            await container.UploadBlobAsync("hello.txt", BinaryData.FromString("hello"));
            Assert.Equal("hello", (await container.GetBlobClient("hello.txt").DownloadContentAsync()).Value.Content.ToString());
        }
        finally
        {
            await azurite.DisposeAsync();
        }

        Assert.False(IsRunning(azuritePid), $"Azurite (pid {azuritePid}) is still running after Dispose");
        Assert.False(Directory.Exists(dataFolder), $"the data folder {dataFolder} is still there after Dispose");
        Assert.False(await AnswersAsync(blobPort), $"something still answers on 127.0.0.1:{blobPort}");
    }

    [Fact]
    public async Task Killing_the_owner_stops_azurite_and_deletes_its_data()
    {
        // A stand-in for a test host: a node process that starts the script with a pipe on its standard input and then
        // idles. The script inherits this process's standard output, so reading it to the end waits for the script.
        var script = Path.Combine(RepositoryPaths.Root, "infra", "scripts", "azurite-private.mjs");
        const string Owner = "const c = require('child_process').spawn(process.execPath, [process.argv[1]], { stdio: ['pipe', 'inherit', 'inherit'] });"
            + " setInterval(() => {}, 60000);";
        var start = new ProcessStartInfo("node", ["-e", Owner, script])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var owner = Process.Start(start)!;
        var line = await owner.StandardOutput.ReadLineAsync();
        Assert.NotNull(line);
        using var started = JsonDocument.Parse(line);
        var azuritePid = started.RootElement.GetProperty("pid").GetInt32();
        var dataFolder = started.RootElement.GetProperty("dataFolder").GetString()!;
        var blobPort = started.RootElement.GetProperty("blobPort").GetInt32();
        Assert.True(IsRunning(azuritePid));
        Assert.True(await AnswersAsync(blobPort));

        owner.Kill(); // SIGKILL: no handler of the owner runs

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await owner.StandardOutput.ReadToEndAsync(timeout.Token); // end of file: the script has exited too
        Assert.False(IsRunning(azuritePid), $"Azurite (pid {azuritePid}) outlived its killed owner");
        Assert.False(Directory.Exists(dataFolder), $"the data folder {dataFolder} outlived its killed owner");
        Assert.False(await AnswersAsync(blobPort));
    }

    [Fact]
    public async Task A_configured_endpoint_is_used_as_it_is()
    {
        const string Configured = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;";

        var (connectionString, started) = await TestStorage.ResolveAsync(Configured);

        Assert.Equal(Configured, connectionString);
        Assert.Null(started);
    }

    /// <summary>Running: /proc has it and it is not a zombie waiting for a reaper.</summary>
    private static bool IsRunning(int pid)
    {
        var stat = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<bool> AnswersAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
