using DiffusionFunctions.Diffusion.Imaging;

namespace DiffusionFunctions.Diffusion.Pipeline;

/// <summary>
/// What to generate: prompt, guidance, steps, sampler, seed, count and size, plus an init image (img2img) and a mask
/// (inpainting). Checked by <see cref="StableDiffusionPipeline.RunAsync"/> (diffusers' <c>check_inputs</c>) before any work.
/// </summary>
public sealed record GenerationSettings
{
    /// <summary>
    /// The prompt, in the web UI's syntax (see <c>Prompting/README.md</c>): emphasis <c>(word:1.3)</c>, <c>(word)</c>,
    /// <c>[word]</c>, <c>BREAK</c>, prompt editing <c>[cat:dog:0.5]</c> and alternation <c>[cat|dog]</c>; longer than 75 tokens
    /// is chunked. <c>AND</c> (composable diffusion) is refused.
    /// </summary>
    public required string Prompt { get; init; }

    /// <summary>The negative prompt (the unconditional text under classifier-free guidance), in the same syntax as the prompt; empty for none.</summary>
    public string NegativePrompt { get; init; } = "";

    /// <summary>The steps a run takes when it names none.</summary>
    public const int DefaultSteps = 25;

    /// <summary>Denoising steps (1-500; default <see cref="DefaultSteps"/>). For img2img only <c>steps × strength</c> run.</summary>
    public int Steps { get; init; } = DefaultSteps;

    /// <summary>
    /// Classifier-free guidance scale (0-50); <see langword="null"/> for the model's default
    /// (<see cref="Onnx.StableDiffusionModel.DefaultGuidanceScale"/>: 7.5 unless its folder says otherwise). At 1 or less the
    /// unconditional pass is skipped.
    /// </summary>
    public double? GuidanceScale { get; init; }

    /// <summary>
    /// diffusers' <c>guidance_rescale</c> (0-1; Lin et al. 2023, "Common Diffusion Noise Schedules and Sample Steps are
    /// Flawed", section 3.4): blends the guided noise prediction with itself rescaled to the conditional prediction's
    /// standard deviation, which keeps strong guidance from overshooting. <see langword="null"/> for the model's default
    /// (<c>generation_config.json</c>, else 0: off).
    /// </summary>
    public double? GuidanceRescale { get; init; }

    /// <summary>Sampler name ("euler", "dpm++-2m-karras" ...); <see langword="null"/> for the model folder's own scheduler.</summary>
    public string? Scheduler { get; init; }

    /// <summary>The seed of the first image; image <c>i</c> uses <c>Seed + i</c> (each with its own generator).</summary>
    public long Seed { get; init; }

    /// <summary>Images to generate (1-16; default 1), denoised together in one batched UNet call per step.</summary>
    public int Count { get; init; } = 1;

    /// <summary>Width in pixels, a multiple of 8 (64-2048); <see langword="null"/> for the model's default.</summary>
    public int? Width { get; init; }

    /// <summary>Height in pixels, a multiple of 8 (64-2048); <see langword="null"/> for the model's default.</summary>
    public int? Height { get; init; }

    /// <summary>Img2img / inpainting start image, resized to the output size.</summary>
    public RgbImage? InitImage { get; init; }

    /// <summary>How far img2img moves from the init image (0 &lt; strength ≤ 1; default 0.75).</summary>
    public double Strength { get; init; } = 0.75;

    /// <summary>Inpainting mask (white = repaint, black = keep; binarised at 50%), resized to the output size.</summary>
    public RgbImage? Mask { get; init; }

    /// <summary>The model name written into the PNG parameters; <see langword="null"/> for the loaded model's name.</summary>
    public string? ModelName { get; init; }
}
