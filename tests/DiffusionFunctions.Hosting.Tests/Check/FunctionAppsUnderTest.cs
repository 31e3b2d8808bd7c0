using DiffusionFunctions.TestSupport;

namespace DiffusionFunctions.Hosting.Tests.Check;

/// <summary>
/// Both function apps, running somewhere, as <see cref="UserLevelCheck"/> sees them: the API's base address, the key a
/// client sends, the storage account and names both apps were given, and what the host in question is documented to do
/// where hosts differ.
/// </summary>
/// <param name="BaseAddress">The API app's root (<c>http://127.0.0.1:PORT/</c>); routes are under <c>api/</c>.</param>
/// <param name="FunctionKey">
/// A key the host accepts for the function-level routes, or null for a host that does not check keys (the in-process
/// host; the check then skips its 401 step, and says so).
/// </param>
/// <param name="Storage">The account (<see cref="AzuriteTestNames.ConnectionString"/>) and the container and queue names both apps use.</param>
/// <param name="UndecodablePoisonMessages">What the host does with a message on the poison queue that is not valid base64.</param>
/// <param name="PoisonRedeliveryWait">
/// The longest wait between two deliveries of a failing message (the host's <c>visibilityTimeout</c>, the in-process
/// listener's <c>RetryDelay</c>), from which the check sizes its deadline for a message to be poisoned.
/// </param>
public sealed record FunctionAppsUnderTest(
    Uri BaseAddress,
    string? FunctionKey,
    AzuriteTestNames Storage,
    UndecodablePoisonMessageHandling UndecodablePoisonMessages,
    TimeSpan PoisonRedeliveryWait);
