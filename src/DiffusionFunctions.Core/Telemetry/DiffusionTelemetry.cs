using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DiffusionFunctions.Core.Telemetry;

/// <summary>
/// The service's OpenTelemetry sources: one <see cref="ActivitySource"/> for the job's spans (submit, process, upload,
/// event; the engine's phases come from <c>DiffusionFunctions.Diffusion</c>) and one <see cref="Meter"/> for the job
/// metrics. Both apps export them (<c>AddDiffusionTelemetry</c>).
/// </summary>
public static class DiffusionTelemetry
{
    /// <summary>The name of the job spans' source and of the meter.</summary>
    public const string SourceName = "DiffusionFunctions";

    /// <summary>The engine's source (text encoder, denoise loop, VAE decode, safety checker spans).</summary>
    public const string EngineSourceName = "DiffusionFunctions.Diffusion";

    /// <summary>The tag naming the job on every span of it.</summary>
    public const string JobIdTag = "diffusion.job.id";

    /// <summary>The job spans.</summary>
    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>The job metrics.</summary>
    public static Meter Meter { get; } = new(SourceName);

    /// <summary>Seconds from the job's acceptance to a worker starting it.</summary>
    public static Histogram<double> QueueWait { get; } =
        Meter.CreateHistogram<double>("diffusion.job.queue_wait", "s", "Time from submission to a worker starting the job.");

    /// <summary>Seconds the engine took for a job.</summary>
    public static Histogram<double> GenerationDuration { get; } =
        Meter.CreateHistogram<double>("diffusion.job.generation.duration", "s", "Engine time of one job (all its images).");

    /// <summary>Denoising steps per second of a job (steps x images / engine seconds).</summary>
    public static Histogram<double> StepsPerSecond { get; } =
        Meter.CreateHistogram<double>("diffusion.job.steps_per_second", "{step}/s", "Denoising steps per second of one job.");

    /// <summary>Images written per succeeded job.</summary>
    public static Histogram<int> ImagesPerJob { get; } =
        Meter.CreateHistogram<int>("diffusion.job.images", "{image}", "Images written per succeeded job.");

    /// <summary>Images the safety checker withheld.</summary>
    public static Counter<int> WithheldImages { get; } =
        Meter.CreateCounter<int>("diffusion.job.images_withheld", "{image}", "Images withheld by the safety checker.");

    /// <summary>Failed jobs, tagged with their error code (<c>error.code</c>).</summary>
    public static Counter<int> Failures { get; } =
        Meter.CreateCounter<int>("diffusion.job.failures", "{job}", "Jobs that ended failed, by error code.");
}
