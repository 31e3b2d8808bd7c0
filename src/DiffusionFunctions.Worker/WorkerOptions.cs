namespace DiffusionFunctions.Worker;

/// <summary>
/// Settings of the worker app, bound from <c>DiffusionFunctions:Worker</c> and validated at start-up
/// (<see cref="WorkerOptionsValidator"/>).
/// </summary>
public sealed class WorkerOptions
{
    /// <summary>The configuration section, relative to the root.</summary>
    public const string SectionName = "DiffusionFunctions:Worker";

    /// <summary>
    /// The model folder (diffusers / Optimum ONNX layout) loaded once at start-up. Required. A relative path that does not
    /// exist from the current directory is looked up beside the worker's binaries, where the build copies the shipped
    /// <c>models/tiny-shapes</c>.
    /// </summary>
    public string? ModelPath { get; set; }

    /// <summary>
    /// The deployment's model this worker serves (its name in the API's <c>DiffusionFunctions:Models</c>), in a deployment that
    /// serves several: one worker app per model, each reading its model's queue (<c>DiffusionFunctions:Storage:GenerationQueue</c>).
    /// A job routed to another model is failed (<c>wrong-model</c>) rather than drawn with this one. Unset: the worker serves
    /// whatever its queue carries (a deployment with one model).
    /// </summary>
    public string? ModelName { get; set; }

    /// <summary>
    /// The least time between two writes of step progress to the job record; the same tick reads the record to see whether
    /// the client asked to cancel. Bounds the storage traffic of fast models (default 1 s).
    /// </summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Run a one-step generation when the model is loaded, so the first job does not pay for lazy initialisation (default on).</summary>
    public bool WarmUp { get; set; } = true;

    /// <summary>
    /// The queue's <c>maxDequeueCount</c> as set in <c>host.json</c> (default 3). Used in the poison handler's message and by
    /// the in-process queue listener, which moves a message to the poison queue after this many failed deliveries as the host does.
    /// </summary>
    public int MaxDequeueCount { get; set; } = 3;

    /// <summary>Cache-Control header of the result PNGs (they never change once written).</summary>
    public string ResultCacheControl { get; set; } = "private, max-age=31536000, immutable";
}
