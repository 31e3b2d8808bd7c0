using System.Globalization;
using DiffusionFunctions.Diffusion.Imaging;
using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Pipeline;
using Spectre.Console;

namespace DiffusionFunctions.Cli.Commands;

/// <summary>
/// <c>dfx generate --prompt TEXT [--model DIR] [--negative] [--steps] [--scheduler] [--seed] [--count] [--width --height]
/// [--guidance] [--init IMAGE --strength] [--mask IMAGE] [--provider] [--out DIR]</c>: runs the pipeline in-process with a
/// live progress bar, writes one PNG per image and prints the paths and the seed. Without <c>--model</c> it uses the
/// shipped tiny-shapes model (<see cref="ShippedModel"/>); without <c>--out</c> it writes into the current directory.
/// </summary>
public sealed class GenerateCommand(IAnsiConsole console, TextWriter error)
{
    /// <summary>The accepted options.</summary>
    public static readonly IReadOnlyCollection<string> Options =
    [
        "model", "prompt", "negative", "steps", "scheduler", "seed", "count", "width", "height", "guidance", "init", "strength", "mask", ProviderOption.Name, "out",
    ];

    /// <summary>Runs the command; returns the exit code.</summary>
    /// <exception cref="UsageException">Bad input.</exception>
    public async Task<int> RunAsync(CommandLine line, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Positionals.Count > 0)
        {
            throw new UsageException($"unexpected argument '{line.Positionals[0]}'.");
        }

        var modelDirectory = ModelOption.Resolve(line);
        var outDirectory = line.Get("out") ?? ".";
        var seed = line.GetLong("seed") ?? Random.Shared.NextInt64(0, uint.MaxValue);
        var settings = new GenerationSettings
        {
            Prompt = line.Require("prompt"),
            NegativePrompt = line.Get("negative") ?? "",
            Steps = line.GetInt("steps", 1, StableDiffusionPipeline.MaxSteps) ?? 25,
            Scheduler = line.Get("scheduler"),
            Seed = seed,
            Count = line.GetInt("count", 1, StableDiffusionPipeline.MaxCount) ?? 1,
            Width = line.GetInt("width", StableDiffusionPipeline.MinSide, StableDiffusionPipeline.MaxSide),
            Height = line.GetInt("height", StableDiffusionPipeline.MinSide, StableDiffusionPipeline.MaxSide),
            GuidanceScale = line.GetDouble("guidance", 0, 50),
            Strength = line.GetDouble("strength", 0, 1) ?? 0.75,
            InitImage = await ReadImageAsync(line.Get("init"), "init image", cancellationToken).ConfigureAwait(false),
            Mask = await ReadImageAsync(line.Get("mask"), "mask", cancellationToken).ConfigureAwait(false),
        };
        if (line.Get("strength") is not null && settings.InitImage is null)
        {
            throw new UsageException("option --strength needs --init.");
        }

        if (settings.InitImage is not null && StableDiffusionPipeline.DenoisingSteps(settings.Steps, settings.Strength) < 1)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"--steps {settings.Steps} with --strength {settings.Strength} leaves no denoising step (int(steps × strength) = 0); raise --steps or --strength."));
        }

        var options = ProviderOption.Read(line);
        using var model = LoadModel(modelDirectory, options, error, cancellationToken);
        var pipeline = new StableDiffusionPipeline(model);
        Directory.CreateDirectory(outDirectory);

        GenerationResult result;
        try
        {
            result = await console.Progress()
                .AutoClear(false)
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
            throw new UsageException(ex.Message, ex);
        }

        foreach (var image in result.Images)
        {
            var path = Path.Combine(outDirectory, string.Create(CultureInfo.InvariantCulture, $"dfx-{image.Seed}.png"));
            await File.WriteAllBytesAsync(path, image.Png, cancellationToken).ConfigureAwait(false);
            console.WriteLine(Path.GetFullPath(path));
        }

        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seed: {seed}  scheduler: {result.SchedulerName}  steps: {result.StepsRun}  size: {result.Width}x{result.Height}  provider: {model.ExecutionProvider.ToString().ToLowerInvariant()}  time: {result.Elapsed.TotalSeconds:0.00}s"));
        if (result.WithheldCount > 0)
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"withheld by the safety checker: {result.WithheldCount} (images {string.Join(", ", result.WithheldIndices)})"));
        }

        return 0;
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
}
