using System.Net.Sockets;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Xunit;

namespace DiffusionFunctions.TestSupport;

/// <summary>
/// The shared Azurite connection for a test collection (xunit collection fixture, <see cref="IAsyncLifetime"/>).
/// It does not start Azurite: it checks that one answers on 127.0.0.1:10000 (blob) and 10001 (queue) and fails with
/// instructions if not. Each test asks <see cref="CreateNames"/> for its own container and queue names, and the
/// fixture deletes everything it handed out when the collection ends.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>The development-storage connection string (Azurite's well-known account on 127.0.0.1).</summary>
    public const string ConnectionString = "UseDevelopmentStorage=true";

    private readonly List<AzuriteTestNames> _handedOut = [];

    /// <summary>A blob service client on Azurite.</summary>
    public BlobServiceClient BlobService { get; } = new(ConnectionString);

    /// <summary>A queue service client on Azurite, base64 message encoding (as <c>host.json</c> configures the trigger).</summary>
    public QueueServiceClient QueueService { get; } =
        new(ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    /// <summary>A queue service client that sees message text as stored (no decoding), to check the wire encoding.</summary>
    public QueueServiceClient RawQueueService { get; } = new(ConnectionString);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        foreach (var (port, service) in new[] { (10000, "blob"), (10001, "queue") })
        {
            if (!await CanConnectAsync(port))
            {
                throw new InvalidOperationException(
                    $"Azurite is not reachable on 127.0.0.1:{port} ({service}). These tests use a real Azurite: start one with "
                    + "'infra/scripts/start-azurite.sh' (it prints its PID) or run everything with 'bash .ci/run'.");
            }
        }
    }

    /// <summary>Fresh, unique names for one test (nothing is created yet).</summary>
    public AzuriteTestNames CreateNames()
    {
        var names = AzuriteTestNames.CreateUnique();
        lock (_handedOut)
        {
            _handedOut.Add(names);
        }

        return names;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        AzuriteTestNames[] all;
        lock (_handedOut)
        {
            all = [.. _handedOut];
        }

        foreach (var names in all)
        {
            foreach (var container in names.Containers)
            {
                await BlobService.GetBlobContainerClient(container).DeleteIfExistsAsync();
            }

            foreach (var queue in names.Queues)
            {
                await QueueService.GetQueueClient(queue).DeleteIfExistsAsync();
            }
        }
    }

    private static async Task<bool> CanConnectAsync(int port)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
