namespace DiffusionFunctions.TestSupport;

/// <summary>Unique container and queue names for one test, and the <c>DiffusionFunctions:Storage</c> settings that select them.</summary>
/// <param name="Prefix">The unique prefix shared by all names.</param>
/// <param name="ConnectionString">The storage account the names live in (<see cref="AzuriteFixture.ConnectionString"/>).</param>
public sealed record AzuriteTestNames(string Prefix, string ConnectionString)
{
    /// <summary>
    /// The connection string of names that never reach storage (settings and options tests): Azurite's well-known
    /// development account on its default ports, which nothing in those tests contacts.
    /// </summary>
    public const string NotConnectedConnectionString = "UseDevelopmentStorage=true";

    /// <summary>Jobs container.</summary>
    public string JobsContainer => Prefix + "-jobs";

    /// <summary>Inputs container.</summary>
    public string InputsContainer => Prefix + "-inputs";

    /// <summary>Results container.</summary>
    public string ResultsContainer => Prefix + "-results";

    /// <summary>Generation queue.</summary>
    public string GenerationQueue => Prefix + "-gen";

    /// <summary>The generation queue's poison queue.</summary>
    public string PoisonQueue => GenerationQueue + "-poison";

    /// <summary>Events queue.</summary>
    public string EventsQueue => Prefix + "-events";

    /// <summary>Batch JSONL upload container.</summary>
    public string BatchRequestsContainer => Prefix + "-batchreq";

    /// <summary>The queue of batch upload events.</summary>
    public string BatchEventsQueue => Prefix + "-batchev";

    /// <summary>Every container name.</summary>
    public IReadOnlyList<string> Containers => [JobsContainer, InputsContainer, ResultsContainer, BatchRequestsContainer];

    /// <summary>Every queue name.</summary>
    public IReadOnlyList<string> Queues => [GenerationQueue, PoisonQueue, EventsQueue, BatchEventsQueue, BatchEventsQueue + "-poison"];

    /// <summary>New names with a random 16-hex-digit prefix, in the given account (by default one that is never contacted).</summary>
    public static AzuriteTestNames CreateUnique(string connectionString = NotConnectedConnectionString) =>
        new("t" + Guid.NewGuid().ToString("N")[..16], connectionString);

    /// <summary>
    /// Configuration values for an in-memory configuration: the account as <c>AzureWebJobsStorage</c> and these names as
    /// <c>DiffusionFunctions:Storage:*</c>.
    /// </summary>
    public Dictionary<string, string?> ToSettings() => new()
    {
        ["AzureWebJobsStorage"] = ConnectionString,
        ["DiffusionFunctions:Storage:JobsContainer"] = JobsContainer,
        ["DiffusionFunctions:Storage:InputsContainer"] = InputsContainer,
        ["DiffusionFunctions:Storage:ResultsContainer"] = ResultsContainer,
        ["DiffusionFunctions:Storage:GenerationQueue"] = GenerationQueue,
        ["DiffusionFunctions:Storage:EventsQueue"] = EventsQueue,
        ["DiffusionFunctions:Batches:RequestsContainer"] = BatchRequestsContainer,
        ["DiffusionFunctions:Batches:RequestsEventsQueue"] = BatchEventsQueue,
    };
}
