namespace DiffusionFunctions.Core.Storage;

/// <summary>
/// Names of the blob containers and queues the function apps share, plus the lifetime of result URLs.
/// Bound from <c>DiffusionFunctions:Storage</c>; validated at start-up by <see cref="DiffusionStorageOptionsValidator"/>.
/// </summary>
public sealed class DiffusionStorageOptions
{
    /// <summary>The configuration section, relative to the root.</summary>
    public const string SectionName = "DiffusionFunctions:Storage";

    /// <summary>Container holding one JSON job record per job (<c>{id}.json</c>) and the idempotency records.</summary>
    public string JobsContainer { get; set; } = "jobs";

    /// <summary>Container holding the uploaded init images and masks (<c>{id}/init.png</c>, <c>{id}/mask.png</c>).</summary>
    public string InputsContainer { get; set; } = "inputs";

    /// <summary>Container the worker writes the generated PNGs into.</summary>
    public string ResultsContainer { get; set; } = "results";

    /// <summary>Queue the API enqueues a <see cref="Queue.GenerationQueueMessage"/> into for every accepted job.</summary>
    public string GenerationQueue { get; set; } = "generation-requests";

    /// <summary>Queue that receives job events locally when no Event Grid topic is configured.</summary>
    public string EventsQueue { get; set; } = "generation-events";

    /// <summary>How long a result URL handed to a client stays valid (read-only SAS).</summary>
    public TimeSpan ResultUrlLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Create the containers and queues at start-up when they are missing.</summary>
    public bool CreateResourcesOnStartup { get; set; } = true;

    /// <summary>The poison queue the Functions host moves failed generation messages to: <c>{GenerationQueue}-poison</c>.</summary>
    public string PoisonQueue => GenerationQueue + "-poison";
}
