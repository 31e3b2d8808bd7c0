namespace DiffusionFunctions.TestSupport;

/// <summary>
/// The storage account the tests of this process use: the connection string in
/// <see cref="ConnectionStringVariable"/> when it is set (a developer's own Azurite, used as it is), otherwise one
/// <see cref="PrivateAzurite"/> per test process, started on first use and stopped when the process exits.
/// </summary>
public static class TestStorage
{
    /// <summary>Environment variable naming an existing storage endpoint for the tests (a connection string).</summary>
    public const string ConnectionStringVariable = "DFX_TEST_STORAGE_CONNECTION_STRING";

    private static readonly Lazy<Task<string>> LazyConnectionString = new(ResolveAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    private static PrivateAzurite? _private;

    /// <summary>The connection string, starting the private Azurite on the first call when none is configured.</summary>
    public static Task<string> GetConnectionStringAsync() => LazyConnectionString.Value;

    /// <summary>The private Azurite of this process, or null when a configured endpoint is used.</summary>
    public static PrivateAzurite? Private => _private;

    /// <summary>
    /// The account for a configured connection string (used as it is: nothing is started), or a newly started private
    /// Azurite when <paramref name="configuredConnectionString"/> is null or blank. The caller owns the returned instance.
    /// </summary>
    public static async Task<(string ConnectionString, PrivateAzurite? Started)> ResolveAsync(
        string? configuredConnectionString, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrWhiteSpace(configuredConnectionString))
        {
            return (configuredConnectionString, null);
        }

        var azurite = await PrivateAzurite.StartAsync(cancellationToken);
        return (azurite.ConnectionString, azurite);
    }

    private static async Task<string> ResolveAsync()
    {
        var (connectionString, started) = await ResolveAsync(Environment.GetEnvironmentVariable(ConnectionStringVariable));
        if (started is not null)
        {
            _private = started;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => started.Stop();
        }

        return connectionString;
    }
}
