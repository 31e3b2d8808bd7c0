namespace DiffusionFunctions.TestSupport;

/// <summary>Unique container and queue names for one test, and the <c>DiffusionFunctions:Storage</c> settings that select them.</summary>
/// <param name="Prefix">The unique prefix shared by all names.</param>
public sealed record AzuriteTestNames(string Prefix)
{
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

    /// <summary>Every container name.</summary>
    public IReadOnlyList<string> Containers => [JobsContainer, InputsContainer, ResultsContainer];

    /// <summary>Every queue name.</summary>
    public IReadOnlyList<string> Queues => [GenerationQueue, PoisonQueue, EventsQueue];

    /// <summary>New names with a random 16-hex-digit prefix.</summary>
    public static AzuriteTestNames CreateUnique() => new("t" + Guid.NewGuid().ToString("N")[..16]);

    /// <summary>
    /// Configuration values for an in-memory configuration: Azurite as <c>AzureWebJobsStorage</c> and these names as
    /// <c>DiffusionFunctions:Storage:*</c>.
    /// </summary>
    public Dictionary<string, string?> ToSettings() => new()
    {
        ["AzureWebJobsStorage"] = AzuriteFixture.ConnectionString,
        ["DiffusionFunctions:Storage:JobsContainer"] = JobsContainer,
        ["DiffusionFunctions:Storage:InputsContainer"] = InputsContainer,
        ["DiffusionFunctions:Storage:ResultsContainer"] = ResultsContainer,
        ["DiffusionFunctions:Storage:GenerationQueue"] = GenerationQueue,
        ["DiffusionFunctions:Storage:EventsQueue"] = EventsQueue,
    };
}
