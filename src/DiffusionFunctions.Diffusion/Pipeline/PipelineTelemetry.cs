using System.Diagnostics;

namespace DiffusionFunctions.Diffusion.Pipeline;

/// <summary>
/// The engine's spans (<see cref="SourceName"/>): one per pipeline phase (text encoder, denoising loop, decode with the
/// safety checker and PNG encoding), children of whatever span is current when the pipeline runs, so a host that traces
/// its jobs sees where the time went. Costs nothing when no listener is attached.
/// </summary>
public static class PipelineTelemetry
{
    /// <summary>The engine's activity source name.</summary>
    public const string SourceName = "DiffusionFunctions.Diffusion";

    /// <summary>The text encoder phase (prompt and negative prompt).</summary>
    public const string TextEncoderPhase = "diffusion.text_encoder";

    /// <summary>The denoising loop (UNet and scheduler, every step).</summary>
    public const string DenoisePhase = "diffusion.denoise";

    /// <summary>VAE decode, safety checker and PNG encoding of every image.</summary>
    public const string DecodePhase = "diffusion.decode";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts a phase span, or returns null when nobody listens.</summary>
    public static Activity? StartPhase(string phase) => Source.StartActivity(phase, ActivityKind.Internal);
}
