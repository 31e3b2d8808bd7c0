using DiffusionFunctions.Diffusion.Pipeline;
using DiffusionFunctions.Diffusion.Schedulers;

namespace DiffusionFunctions.Cli.Commands;

/// <summary>The options several commands share, described once for their help.</summary>
internal static class CommonOptions
{
    public static readonly OptionSpec Model = OptionSpec.Value(ModelOption.Name, "DIR", "the model folder (diffusers / Optimum ONNX layout)", "the shipped models/tiny-shapes");
    public static readonly OptionSpec Prompt = OptionSpec.Value("prompt", "TEXT", "what to draw; web UI syntax: (word:1.3), [word], BREAK, [a:b:0.5], [a|b]");
    public static readonly OptionSpec Negative = OptionSpec.Value("negative", "TEXT", "what to steer away from", "none");
    public static readonly OptionSpec Steps = OptionSpec.Value("steps", "N", $"denoising steps requested, 1-{StableDiffusionPipeline.MaxSteps} (PNDM runs one more scheduler timestep; img2img runs int(N x strength))", "the model's generation_config.json num_inference_steps, else 25");
    public static readonly OptionSpec Scheduler = OptionSpec.Value("scheduler", "NAME", "the sampler: " + string.Join(", ", SchedulerFactory.Names), "the model folder's own");
    public static readonly OptionSpec Seed = OptionSpec.Value("seed", "N", "the seed of the first image; image i uses seed + i", "random");
    public static readonly OptionSpec Count = OptionSpec.Value("count", "N", $"images per prompt, 1-{StableDiffusionPipeline.MaxCount}", "1");
    public static readonly OptionSpec Width = OptionSpec.Value("width", "N", $"image width, a multiple of 8 from {StableDiffusionPipeline.MinSide} to {StableDiffusionPipeline.MaxSide}", "the model's size");
    public static readonly OptionSpec Height = OptionSpec.Value("height", "N", $"image height, a multiple of 8 from {StableDiffusionPipeline.MinSide} to {StableDiffusionPipeline.MaxSide}", "the model's size");
    public static readonly OptionSpec Guidance = OptionSpec.Value("guidance", "X", "classifier-free guidance scale, 0-50", "the folder's generation_config.json, else 7.5");
    public static readonly OptionSpec Provider = OptionSpec.Value(ProviderOption.Name, "auto|cuda|cpu", "execution provider; auto and cuda fall back to CPU with one warning", "auto");
    public static readonly OptionSpec Overwrite = OptionSpec.Flag("overwrite", "replace SLUG-SEED.png when it exists (otherwise a -2, -3 ... suffix keeps earlier images)");
    public static readonly OptionSpec Json = OptionSpec.Flag("json", "print one JSON document on stdout instead of text (no progress bar)");

    public static readonly string SchedulerNote = "schedulers: " + string.Join(", ", SchedulerFactory.Names) + ".";

    /// <summary>The <c>--scheduler</c> value in its canonical spelling, or <see langword="null"/>.</summary>
    /// <exception cref="UsageException">An unknown name; the message lists the known ones.</exception>
    public static string? ReadScheduler(CommandLine line) => line.GetChoice(Scheduler.Name, SchedulerFactory.Names);

    /// <summary>The <c>--width</c> or <c>--height</c> value, or <see langword="null"/>.</summary>
    public static int? ReadSide(CommandLine line, OptionSpec side) =>
        line.GetSide(side.Name, StableDiffusionPipeline.MinSide, StableDiffusionPipeline.MaxSide, 8);

    /// <exception cref="UsageException">The prompt uses composable diffusion (AND), which the engine refuses.</exception>
    public static string CheckPrompt(string prompt, string option) =>
        Diffusion.Prompting.ComposableDiffusionSyntax.IsUsedIn(prompt)
            ? throw new UsageException($"{option}: " + Diffusion.Prompting.ComposableDiffusionSyntax.RefusalMessage)
            : prompt;
}
