namespace DiffusionFunctions.Core.Generation;

/// <summary>
/// What the engine uses when neither the request, nor an operator setting, nor the model folder says: known here so that
/// the API (which never loads the engine) can describe a model's defaults. The worker's tests check these against the engine.
/// </summary>
public static class EngineDefaults
{
    /// <summary>Denoising steps (the engine's <c>GenerationSettings.DefaultSteps</c>).</summary>
    public const int Steps = 25;

    /// <summary>Guidance scale when the folder has no <c>generation_config.json</c> (diffusers' 7.5).</summary>
    public const double GuidanceScale = 7.5;

    /// <summary>UNet <c>sample_size</c> when its config gives none.</summary>
    public const int SampleSize = 64;

    /// <summary>Pixels per latent cell when the VAE config gives no <c>block_out_channels</c>.</summary>
    public const int VaeScaleFactor = 8;
}
