namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>diffusers' <c>beta_schedule</c>.</summary>
public enum BetaScheduleKind
{
    /// <summary><c>linear</c>: betas evenly spaced from beta_start to beta_end.</summary>
    Linear,

    /// <summary><c>scaled_linear</c>: square roots evenly spaced, then squared (Stable Diffusion).</summary>
    ScaledLinear,

    /// <summary><c>squaredcos_cap_v2</c>: the cosine schedule of Nichol and Dhariwal, capped at 0.999.</summary>
    SquaredCosCapV2,
}

/// <summary>diffusers' <c>prediction_type</c>: what the denoising model predicts.</summary>
public enum PredictionType
{
    /// <summary><c>epsilon</c>: the noise.</summary>
    Epsilon,

    /// <summary><c>v_prediction</c>: the velocity (Salimans and Ho, section 2.4).</summary>
    VPrediction,

    /// <summary><c>sample</c>: the clean sample directly.</summary>
    Sample,
}

/// <summary>diffusers' <c>timestep_spacing</c> (Lin et al., "Common Diffusion Noise Schedules and Sample Steps are Flawed", table 2).</summary>
public enum TimestepSpacingKind
{
    /// <summary><c>leading</c>: multiples of train/inference steps counted from 0, plus steps_offset.</summary>
    Leading,

    /// <summary><c>trailing</c>: counted back from the last training timestep.</summary>
    Trailing,

    /// <summary><c>linspace</c>: evenly spaced from 0 to the last training timestep, fractional for sigma samplers.</summary>
    Linspace,
}

/// <summary>diffusers' <c>interpolation_type</c> for sigmas at fractional timesteps.</summary>
public enum InterpolationType
{
    /// <summary><c>linear</c>.</summary>
    Linear,

    /// <summary><c>log_linear</c>: sigmas evenly spaced in log space.</summary>
    LogLinear,
}

/// <summary>diffusers' <c>final_sigmas_type</c>: the sigma appended after the last step.</summary>
public enum FinalSigmasType
{
    /// <summary><c>zero</c>.</summary>
    Zero,

    /// <summary><c>sigma_min</c>: the last training sigma.</summary>
    SigmaMin,
}

/// <summary>diffusers' DDPM <c>variance_type</c> (the supported fixed variances).</summary>
public enum VarianceType
{
    /// <summary><c>fixed_small</c>: the posterior variance.</summary>
    FixedSmall,

    /// <summary><c>fixed_small_log</c>: the posterior variance, applied through its log.</summary>
    FixedSmallLog,

    /// <summary><c>fixed_large</c>: beta_t.</summary>
    FixedLarge,

    /// <summary><c>fixed_large_log</c>: log beta_t.</summary>
    FixedLargeLog,
}
