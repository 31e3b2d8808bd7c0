namespace DiffusionFunctions.Worker.Processing;

/// <summary>
/// Observes denoising steps as they happen, on the engine's thread (for metrics or tracing). Must be quick: the engine
/// waits for it. None is registered by default.
/// </summary>
public interface IGenerationStepListener
{
    /// <summary>
    /// Called after step <paramref name="step"/> (1-based) of <paramref name="totalSteps"/> of job <paramref name="jobId"/>;
    /// <paramref name="jobCancellation"/> is the token the engine checks before its next step.
    /// </summary>
    void OnStep(string jobId, int step, int totalSteps, CancellationToken jobCancellation);
}
