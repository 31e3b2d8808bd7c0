using DiffusionFunctions.Diffusion.Randomness;
using DiffusionFunctions.Diffusion.Schedulers;

namespace DiffusionFunctions.Diffusion.Tests.Schedulers;

/// <summary>The loop shapes of diffusers' <c>full_loop</c> tests, run against our schedulers.</summary>
internal static class FullLoops
{
    /// <summary>
    /// Sigma samplers (Euler, Euler Ancestral, LMS): sample = deter × init_noise_sigma; per timestep scale, model, step.
    /// With <paramref name="startIndex"/>, the sample is first noised to that timestep with <c>dummy_noise_deter</c>.
    /// </summary>
    public static float[] WithScaling(IScheduler scheduler, int numInferenceSteps, INoiseSource? generator, int? startIndex = null)
    {
        scheduler.SetTimesteps(numInferenceSteps);
        var sample = DiffusersDummies.SampleDeter();
        var sigma = scheduler.InitNoiseSigma;
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] *= sigma;
        }

        var timesteps = scheduler.Timesteps.Skip(startIndex ?? 0).ToArray();
        if (startIndex is not null)
        {
            scheduler.AddNoise(sample, DiffusersDummies.NoiseDeter(), timesteps[0], sample);
        }

        var output = new float[sample.Length];
        foreach (var t in timesteps)
        {
            scheduler.ScaleModelInput(sample, t, sample);
            DiffusersDummies.Model(sample, t, output);
            scheduler.Step(output, t, sample, sample, generator);
        }

        return sample;
    }

    /// <summary>
    /// Samplers without input scaling (DDIM, DDPM, PNDM, DPM-Solver, LCM): sample = deter; per timestep model then step.
    /// With <paramref name="startIndex"/>, the sample is first noised to that timestep with <c>dummy_noise_deter</c>.
    /// </summary>
    public static float[] WithoutScaling(IScheduler scheduler, int? numInferenceSteps, INoiseSource? generator, int? startIndex = null)
    {
        if (numInferenceSteps is { } n)
        {
            scheduler.SetTimesteps(n);
        }

        var sample = DiffusersDummies.SampleDeter();
        var timesteps = scheduler.Timesteps.Skip(startIndex ?? 0).ToArray();
        if (startIndex is not null)
        {
            scheduler.AddNoise(sample, DiffusersDummies.NoiseDeter(), timesteps[0], sample);
        }

        var output = new float[sample.Length];
        foreach (var t in timesteps)
        {
            DiffusersDummies.Model(sample, t, output);
            scheduler.Step(output, t, sample, sample, generator);
        }

        return sample;
    }
}
