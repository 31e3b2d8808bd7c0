namespace DiffusionFunctions.Core.Generation;

/// <summary>
/// The scheduler (sampler) names the API accepts. The engine maps each to one sampler class; a request that names
/// none gets the scheduler the model folder ships (<c>scheduler_config.json</c>).
/// </summary>
public static class SchedulerNames
{
    /// <summary>PNDM with <c>skip_prk_steps</c> (the SD 1.x default).</summary>
    public const string Pndm = "pndm";

    /// <summary>DDIM.</summary>
    public const string Ddim = "ddim";

    /// <summary>Euler (discrete).</summary>
    public const string Euler = "euler";

    /// <summary>Euler ancestral (stochastic).</summary>
    public const string EulerAncestral = "euler-ancestral";

    /// <summary>Linear multistep.</summary>
    public const string Lms = "lms";

    /// <summary>DPM-Solver++ 2M.</summary>
    public const string DpmSolverMultistep = "dpm++-2m";

    /// <summary>DPM-Solver++ 2M with Karras sigmas.</summary>
    public const string DpmSolverMultistepKarras = "dpm++-2m-karras";

    /// <summary>Latent consistency model scheduler.</summary>
    public const string Lcm = "lcm";

    /// <summary>DDPM (stochastic).</summary>
    public const string Ddpm = "ddpm";

    /// <summary>Every accepted name, in documentation order.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Pndm, Ddim, Euler, EulerAncestral, Lms, DpmSolverMultistep, DpmSolverMultistepKarras, Lcm, Ddpm];

    /// <summary>
    /// The name of the sampler the engine runs for a model folder's diffusers scheduler class (<c>_class_name</c> in
    /// <c>scheduler_config.json</c>): the same mapping as the engine's, with <c>use_karras_sigmas</c> choosing between the
    /// two DPM-Solver names, and "euler" for a class no sampler implements.
    /// </summary>
    public static string ForDiffusersClass(string? className, bool useKarrasSigmas) => className switch
    {
        "PNDMScheduler" => Pndm,
        "DDIMScheduler" => Ddim,
        "EulerDiscreteScheduler" => Euler,
        "EulerAncestralDiscreteScheduler" => EulerAncestral,
        "LMSDiscreteScheduler" => Lms,
        "DPMSolverMultistepScheduler" => useKarrasSigmas ? DpmSolverMultistepKarras : DpmSolverMultistep,
        "LCMScheduler" => Lcm,
        "DDPMScheduler" => Ddpm,
        _ => Euler,
    };

    /// <summary>True when <paramref name="name"/> is one of <see cref="All"/> (exact, lowercase).</summary>
    public static bool IsKnown(string? name) => name is not null && All.Contains(name, StringComparer.Ordinal);
}
