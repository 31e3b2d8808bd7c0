namespace DiffusionFunctions.Worker.Functions;

/// <summary>
/// The app-setting expressions the queue triggers use, so the Functions host and the services read the same queue names
/// (<c>DiffusionFunctions:Storage:GenerationQueue</c>, written <c>DiffusionFunctions__Storage__GenerationQueue</c> as an
/// environment variable) and the same storage account (<c>AzureWebJobsStorage</c>).
/// </summary>
public static class WorkerQueueSettings
{
    /// <summary>The generation queue's name setting, as a binding expression.</summary>
    public const string GenerationQueue = "%DiffusionFunctions:Storage:GenerationQueue%";

    /// <summary>The generation queue's poison queue (the host moves messages there after <c>maxDequeueCount</c> failures).</summary>
    public const string PoisonQueue = GenerationQueue + "-poison";

    /// <summary>The connection setting of both triggers.</summary>
    public const string Connection = "AzureWebJobsStorage";
}
