using DiffusionFunctions.Worker.Processing;

namespace DiffusionFunctions.Worker.Tests.Infrastructure;

/// <summary>
/// Holds the real pipeline at one denoising step (the first time it gets there) until the job's token is cancelled, so a
/// test can act "while the job is running" without racing it: cancel through the API, or kill the worker.
/// </summary>
internal sealed class StepGate(int blockAtStep) : IGenerationStepListener
{
    private readonly TaskCompletionSource<string> _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _used;

    /// <summary>Completes with the job id when the pipeline reached the step.</summary>
    public Task<string> Reached => _reached.Task;

    /// <summary>Steps seen, in order (all jobs).</summary>
    public List<int> Steps { get; } = [];

    public void OnStep(string jobId, int step, int totalSteps, CancellationToken jobCancellation)
    {
        lock (Steps)
        {
            Steps.Add(step);
        }

        if (step == blockAtStep && Interlocked.Exchange(ref _used, 1) == 0)
        {
            _reached.TrySetResult(jobId);
            if (!jobCancellation.WaitHandle.WaitOne(TimeSpan.FromSeconds(60)))
            {
                throw new TimeoutException("The gated job was never cancelled.");
            }
        }
    }
}
