namespace DiffusionFunctions.Diffusion.Pipeline;

/// <summary>
/// Progress of one run, reported synchronously on the pipeline's thread after every denoising step (and after each VAE decode).
/// Cancelling the run's token from the handler stops the run before the next step.
/// </summary>
/// <param name="Stage">Which stage finished a unit of work.</param>
/// <param name="Step">Denoising steps finished so far (1-based after the first step).</param>
/// <param name="TotalSteps">Denoising steps this run will take.</param>
/// <param name="ImagesDecoded">Images decoded so far.</param>
/// <param name="ImageCount">Images in the run.</param>
/// <param name="Elapsed">Time since the run started.</param>
public sealed record GenerationProgress(GenerationStage Stage, int Step, int TotalSteps, int ImagesDecoded, int ImageCount, TimeSpan Elapsed);
