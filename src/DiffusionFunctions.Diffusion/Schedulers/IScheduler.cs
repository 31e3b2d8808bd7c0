using DiffusionFunctions.Diffusion.Randomness;

namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>
/// One diffusion sampler with diffusers' surface (<c>set_timesteps</c>, <c>scale_model_input</c>, <c>step</c>,
/// <c>add_noise</c>, <c>init_noise_sigma</c>). Samples are flat float spans (batch × channels × height × width) and one
/// timestep applies to the whole batch. A scheduler is stateful (step index, history) and not thread-safe: use one per run.
/// </summary>
public interface IScheduler
{
    /// <summary>The API name: "pndm", "ddim", "euler", "euler-ancestral", "lms", "dpm++-2m", "dpm++-2m-karras", "lcm", "ddpm".</summary>
    string Name { get; }

    /// <summary>The configuration the scheduler was built from.</summary>
    SchedulerConfig Config { get; }

    /// <summary>Model evaluations per timestep entry (diffusers' <c>order</c>); 1 for every sampler here.</summary>
    int Order { get; }

    /// <summary>Standard deviation of the initial noise: multiply the unit-normal initial latents by this.</summary>
    float InitNoiseSigma { get; }

    /// <summary>The timesteps to run, in order, after <see cref="SetTimesteps"/>; fractional for some sigma samplers.</summary>
    IReadOnlyList<float> Timesteps { get; }

    /// <summary>Computes the schedule for <paramref name="numInferenceSteps"/> steps and resets the step state.</summary>
    void SetTimesteps(int numInferenceSteps);

    /// <summary>
    /// Img2img (diffusers' <c>get_timesteps</c>): sets the full schedule, keeps its tail for <paramref name="strength"/>
    /// (0 &lt; strength ≤ 1), sets the begin index and returns the start index into <see cref="Timesteps"/>.
    /// </summary>
    int SetTimestepsForStrength(int numInferenceSteps, float strength);

    /// <summary>Scales the denoising model's input for <paramref name="timestep"/>; <paramref name="destination"/> may be <paramref name="sample"/>'s buffer.</summary>
    void ScaleModelInput(ReadOnlySpan<float> sample, float timestep, Span<float> destination);

    /// <summary>
    /// One reverse step from <paramref name="sample"/> at <paramref name="timestep"/> to the previous sample, given the model's
    /// output. Stochastic samplers draw their noise from <paramref name="noiseSource"/> (required for them; the engine passes
    /// the run's <see cref="TorchGenerator"/>, tests may replay recorded noise).
    /// <paramref name="prevSample"/> may be <paramref name="sample"/>'s buffer.
    /// </summary>
    void Step(ReadOnlySpan<float> modelOutput, float timestep, ReadOnlySpan<float> sample, Span<float> prevSample, INoiseSource? noiseSource);

    /// <summary>Forward-diffuses <paramref name="originalSamples"/> to <paramref name="timestep"/> with <paramref name="noise"/> (img2img, inpainting).</summary>
    void AddNoise(ReadOnlySpan<float> originalSamples, ReadOnlySpan<float> noise, float timestep, Span<float> destination);
}
