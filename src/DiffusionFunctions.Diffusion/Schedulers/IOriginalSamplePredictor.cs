namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>
/// A sampler that can report x̂_0, its estimate of the clean sample (diffusers' <c>pred_original_sample</c>; for LCM the
/// consistency estimate <c>denoised</c>), for previews. Every sampler here implements it.
/// </summary>
public interface IOriginalSamplePredictor
{
    /// <summary>
    /// Writes x̂_0 for the step <see cref="IScheduler.Step"/> is about to take with the same arguments. Call it before that
    /// <c>Step</c>; it does not advance the scheduler. <paramref name="destination"/> may not alias the inputs.
    /// </summary>
    void PredictOriginalSample(ReadOnlySpan<float> modelOutput, float timestep, ReadOnlySpan<float> sample, Span<float> destination);
}
