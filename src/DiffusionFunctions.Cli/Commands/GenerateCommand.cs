using System.Globalization;
using DiffusionFunctions.Diffusion.Imaging;
using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Pipeline;
using Spectre.Console;

namespace DiffusionFunctions.Cli.Commands;

/// <summary>
/// <c>dfx generate</c>: runs the pipeline in-process for one prompt (<c>--prompt</c>) or many (<c>--prompts FILE</c>, the
/// model loaded once), writes one PNG per image under a unique name (<see cref="ImageFiles"/>) and prints the paths and a
/// summary, or one JSON document with <c>--json</c>. Every option is checked before the model loads.
/// </summary>
public sealed class GenerateCommand(IAnsiConsole console, TextWriter error)
{
    /// <summary>What the command accepts.</summary>
    public static readonly CommandSpec Spec = new(
        "generate",
        "Generate images from a prompt (or a file of prompts) with the engine in this process, and write them as PNGs.",
        "",
        [
            CommonOptions.Prompt,
            OptionSpec.Value("prompts", "FILE", "one prompt per line (blank lines skipped); the model loads once for all of them"),
            CommonOptions.Model,
            CommonOptions.Negative,
            CommonOptions.Steps,
            CommonOptions.Scheduler,
            CommonOptions.Seed,
            CommonOptions.Count,
            CommonOptions.Width,
            CommonOptions.Height,
            CommonOptions.Guidance,
            OptionSpec.Value("init", "IMAGE", "image-to-image: the start image (PNG, JPEG or WebP, resized to the output size)"),
            OptionSpec.Value("strength", "X", "image-to-image: how far from the init image, 0-1 (needs --init)", "0.75"),
            OptionSpec.Value("mask", "IMAGE", "inpainting: white = repaint (needs --init)"),
            CommonOptions.Provider,
            OptionSpec.Value("out", "DIR", "the folder for the PNGs, created if missing", "the current folder"),
            CommonOptions.Overwrite,
            CommonOptions.Json,
        ],
        [
            "Files are named PROMPT-SLUG-SEED.png (a-yellow-star-on-a-blue-background-7.png); an existing file is never replaced\n" +
            "without --overwrite: the new image gets a -2, -3 ... suffix.",
            "'steps' is the number requested (as in the PNG and the API); 'timesteps' is what the scheduler ran: PNDM adds one\n" +
            "warm-up timestep, image-to-image runs int(steps x strength).",
            CommonOptions.SchedulerNote,
            "example: dfx generate --prompt \"a yellow star on a blue background\" --seed 7 --out /tmp/dfx-images",
        ]);

    /// <summary>Runs the command; returns the exit code.</summary>
    /// <exception cref="UsageException">Bad input.</exception>
    public async Task<int> RunAsync(CommandLine line, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        line.RefusePositionals();
        var prompts = await ReadPromptsAsync(line, cancellationToken).ConfigureAwait(false);
        var modelDirectory = ModelOption.Resolve(line);
        var outDirectory = line.Get("out") ?? ".";
        var seed = line.GetLong("seed") ?? Random.Shared.NextInt64(0, uint.MaxValue);
        var json = line.Has(CommonOptions.Json.Name);
        var overwrite = line.Has(CommonOptions.Overwrite.Name);
        var requestedSteps = line.GetInt("steps", 1, StableDiffusionPipeline.MaxSteps);
        var template = new GenerationSettings
        {
            Prompt = "",
            NegativePrompt = line.Get("negative") ?? "",
            Steps = requestedSteps ?? GenerationSettings.DefaultSteps,
            Scheduler = CommonOptions.ReadScheduler(line),
            Seed = seed,
            Count = line.GetInt("count", 1, StableDiffusionPipeline.MaxCount) ?? 1,
            Width = CommonOptions.ReadSide(line, CommonOptions.Width),
            Height = CommonOptions.ReadSide(line, CommonOptions.Height),
            GuidanceScale = line.GetDouble("guidance", 0, 50),
            Strength = line.GetDouble("strength", 0, 1) ?? 0.75,
        };
        var provider = ProviderOption.Read(line);
        if (line.Get("strength") is not null && line.Get("init") is null)
        {
            throw new UsageException("option --strength needs --init.");
        }

        if (line.Get("mask") is not null && line.Get("init") is null)
        {
            throw new UsageException("option --mask needs --init (the image to inpaint).");
        }

        if (line.Get("init") is not null && template.Strength <= 0)
        {
            throw new UsageException("option --strength must be greater than 0 with --init.");
        }

        if (requestedSteps is not null)
        {
            CheckDenoisingSteps(line, template);
        }

        template = template with
        {
            InitImage = await ReadImageAsync(line.Get("init"), "init image", cancellationToken).ConfigureAwait(false),
            Mask = await ReadImageAsync(line.Get("mask"), "mask", cancellationToken).ConfigureAwait(false),
        };
        if (!Directory.Exists(modelDirectory))
        {
            throw new UsageException($"the model folder '{modelDirectory}' does not exist.");
        }

        if (File.Exists(outDirectory))
        {
            throw new UsageException($"--out '{outDirectory}' is a file; it must be a folder.");
        }

        using var model = LoadModel(modelDirectory, provider, error, cancellationToken);
        if (requestedSteps is null)
        {
            // The model's own default (generation_config.json num_inference_steps: 1 for Turbo, 4 for LCM), else 25.
            template = template with { Steps = model.DefaultSteps };
            CheckDenoisingSteps(line, template);
        }

        foreach (var side in new[] { template.Width, template.Height })
        {
            if (side is { } value && value % model.VaeScaleFactor != 0)
            {
                throw new UsageException($"--width and --height must be multiples of {model.VaeScaleFactor} for this model, not {value}.");
            }
        }

        var pipeline = new StableDiffusionPipeline(model);
        var report = new GenerateReport(model, template);
        foreach (var prompt in prompts)
        {
            var settings = template with { Prompt = prompt };
            var result = await RunOneAsync(pipeline, settings, showProgress: !json && console.Profile.Capabilities.Interactive, cancellationToken).ConfigureAwait(false);
            var paths = new List<string>();
            foreach (var image in result.Images)
            {
                var path = await ImageFiles.WriteAsync(outDirectory, prompt, image.Seed, image.Png, overwrite, cancellationToken).ConfigureAwait(false);
                paths.Add(path);
                if (!json)
                {
                    console.WriteLineUnwrapped(path);
                }
            }

            report.Add(prompt, result, paths);
            if (!json)
            {
                console.WriteLineUnwrapped(report.SummaryLine(result));
                if (result.WithheldCount > 0)
                {
                    console.WriteLineUnwrapped(string.Create(CultureInfo.InvariantCulture,
                        $"withheld by the safety checker: {result.WithheldCount} (images {string.Join(", ", result.WithheldIndices)})"));
                }
            }
        }

        if (json)
        {
            console.WriteLineUnwrapped(report.ToJson());
        }

        return 0;
    }

    private static async Task<IReadOnlyList<string>> ReadPromptsAsync(CommandLine line, CancellationToken cancellationToken)
    {
        var single = line.Get("prompt");
        var file = line.Get("prompts");
        if (single is not null && file is not null)
        {
            throw new UsageException("give either --prompt or --prompts FILE, not both.");
        }

        if (single is not null)
        {
            return [CommonOptions.CheckPrompt(single, "--prompt")];
        }

        if (file is null)
        {
            throw new UsageException("option --prompt is required (or --prompts FILE).");
        }

        if (!File.Exists(file))
        {
            throw new UsageException($"the prompts file '{file}' does not exist.");
        }

        var prompts = (await File.ReadAllLinesAsync(file, cancellationToken).ConfigureAwait(false))
            .Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (prompts.Count == 0)
        {
            throw new UsageException($"the prompts file '{file}' has no prompts.");
        }

        for (var i = 0; i < prompts.Count; i++)
        {
            CommonOptions.CheckPrompt(prompts[i], string.Create(CultureInfo.InvariantCulture, $"--prompts line {i + 1}"));
        }

        return prompts;
    }

    private async Task<GenerationResult> RunOneAsync(StableDiffusionPipeline pipeline, GenerationSettings settings, bool showProgress, CancellationToken cancellationToken)
    {
        try
        {
            if (!showProgress)
            {
                return await pipeline.RunAsync(settings, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return await console.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("denoising", maxValue: settings.Steps);
                    var progress = new SynchronousProgress(report =>
                    {
                        task.MaxValue = report.TotalSteps;
                        task.Value = report.Step;
                        if (report.Stage == GenerationStage.Decoding)
                        {
                            task.Description = $"decoded {report.ImagesDecoded}/{report.ImageCount}";
                        }
                    });
                    return await pipeline.RunAsync(settings, progress, cancellationToken).ConfigureAwait(false);
                }).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            throw SettingsErrors.ToUsage(ex);
        }
    }

    internal static StableDiffusionModel LoadModel(string directory, DiffusionEngineOptions options, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            return StableDiffusionModel.Load(directory, options, new ErrorWriterLogger(error), cancellationToken);
        }
        catch (ModelFolderException ex)
        {
            throw new UsageException(ex.Message, ex);
        }
    }

    private static async Task<RgbImage?> ReadImageAsync(string? path, string what, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            return null;
        }

        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new UsageException($"the {what} '{path}' does not exist.");
        }

        if (info.Length > UserImageLimits.Default.MaxBytes)
        {
            throw new UsageException($"the {what} '{path}' is {info.Length} bytes; the limit is {UserImageLimits.Default.MaxBytes} bytes.");
        }

        try
        {
            return UserImageDecoder.Decode(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), what);
        }
        catch (InvalidImageException ex)
        {
            throw new UsageException(ex.Message, ex);
        }
    }

    private sealed class SynchronousProgress(Action<GenerationProgress> report) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value) => report(value);
    }

    private static void CheckDenoisingSteps(CommandLine line, GenerationSettings template)
    {
        if (line.Get("init") is not null && StableDiffusionPipeline.DenoisingSteps(template.Steps, template.Strength) < 1)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"--steps {template.Steps} with --strength {template.Strength} leaves no denoising step (int(steps × strength) = 0); raise --steps or --strength."));
        }
    }
}
