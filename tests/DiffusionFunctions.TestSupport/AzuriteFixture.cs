using System.Net.Sockets;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Xunit;

namespace DiffusionFunctions.TestSupport;

/// <summary>
/// The shared Azurite connection for a test collection (xunit collection fixture, <see cref="IAsyncLifetime"/>).
/// The account comes from <see cref="TestStorage"/>: the endpoint in <c>DFX_TEST_STORAGE_CONNECTION_STRING</c> when
/// one is configured, otherwise a private Azurite that this test process starts (installing it when missing) on free
/// loopback ports and stops when it exits. Each test asks <see cref="CreateNames"/> for its own container and queue
/// names, and the fixture deletes everything it handed out when the collection ends.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private readonly List<AzuriteTestNames> _handedOut = [];
    private string? _connectionString;
    private BlobServiceClient? _blobService;
    private QueueServiceClient? _queueService;
    private QueueServiceClient? _rawQueueService;

    /// <summary>The storage connection string the tests use (Azurite's development account on its endpoints).</summary>
    public string ConnectionString => _connectionString ?? throw NotInitialized();

    /// <summary>A blob service client on Azurite.</summary>
    public BlobServiceClient BlobService => _blobService ?? throw NotInitialized();

    /// <summary>A queue service client on Azurite, base64 message encoding (as <c>host.json</c> configures the trigger).</summary>
    public QueueServiceClient QueueService => _queueService ?? throw NotInitialized();

    /// <summary>A queue service client that sees message text as stored (no decoding), to check the wire encoding.</summary>
    public QueueServiceClient RawQueueService => _rawQueueService ?? throw NotInitialized();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var connectionString = await TestStorage.GetConnectionStringAsync();
        var blobService = new BlobServiceClient(connectionString);
        var queueService = new QueueServiceClient(connectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        foreach (var (endpoint, service) in new[] { (blobService.Uri, "blob"), (queueService.Uri, "queue") })
        {
            if (!await CanConnectAsync(endpoint))
            {
                throw new InvalidOperationException(
                    $"Storage is not reachable at {endpoint.GetLeftPart(UriPartial.Authority)} ({service}), the endpoint that "
                    + $"{TestStorage.ConnectionStringVariable} names. Start that Azurite, or unset the variable so the tests start their own.");
            }
        }

        _connectionString = connectionString;
        _blobService = blobService;
        _queueService = queueService;
        _rawQueueService = new QueueServiceClient(connectionString);
    }

    /// <summary>Fresh, unique names for one test (nothing is created yet).</summary>
    public AzuriteTestNames CreateNames()
    {
        var names = AzuriteTestNames.CreateUnique(ConnectionString);
        lock (_handedOut)
        {
            _handedOut.Add(names);
        }

        return names;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_blobService is null || _queueService is null)
        {
            return;
        }

        AzuriteTestNames[] all;
        lock (_handedOut)
        {
            all = [.. _handedOut];
        }

        foreach (var names in all)
        {
            foreach (var container in names.Containers)
            {
                await _blobService.GetBlobContainerClient(container).DeleteIfExistsAsync();
            }

            foreach (var queue in names.Queues)
            {
                await _queueService.GetQueueClient(queue).DeleteIfExistsAsync();
            }
        }
    }

    private static InvalidOperationException NotInitialized() =>
        new("The Azurite fixture is used before xunit initialised it.");

    private static async Task<bool> CanConnectAsync(Uri endpoint)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
