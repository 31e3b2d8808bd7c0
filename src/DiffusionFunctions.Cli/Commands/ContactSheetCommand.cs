using System.Globalization;
using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Pipeline;
using SkiaSharp;
using Spectre.Console;

namespace DiffusionFunctions.Cli.Commands;

/// <summary>
/// <c>dfx contact-sheet [--model DIR] [--prompts FILE] [--seed N] [--steps N] [--scheduler NAME] [--guidance X] [--columns N]
/// [--provider] [--out FILE]</c>: generates one image per prompt (a fixed tiny-shapes list unless a file with one prompt
/// per line is given) and writes a PNG grid with each prompt as the caption under its image (2x nearest upscaling).
/// </summary>
public sealed class ContactSheetCommand(IAnsiConsole console, TextWriter error)
{
    /// <summary>What the command accepts.</summary>
    public static readonly CommandSpec Spec = new(
        "contact-sheet",
        "Generate one image per prompt and write them as one captioned PNG grid.",
        "",
        [
            CommonOptions.Model,
            OptionSpec.Value("prompts", "FILE", "one prompt per line (blank lines skipped)", "a fixed list of tiny-shapes prompts"),
            OptionSpec.Value("seed", "N", "the seed of every tile", "1"),
            CommonOptions.Steps,
            CommonOptions.Scheduler,
            CommonOptions.Guidance,
            OptionSpec.Value("columns", "N", "tiles per row, 1-16", "4"),
            CommonOptions.Provider,
            OptionSpec.Value("out", "FILE", "the PNG to write", "docs/images/contact-sheet.png"),
        ],
        [CommonOptions.SchedulerNote, "example: dfx contact-sheet --out /tmp/sheet.png"]);

    /// <summary>The default prompts: trained and held-out combinations, sizes and positions.</summary>
    public static readonly IReadOnlyList<string> DefaultPrompts =
    [
        "a yellow star on a blue background",
        "a red circle on a white background",
        "a green triangle on a black background",
        "a pink heart on a white background",
        "a blue ring on a yellow background",
        "a purple square on an orange background",
        "a red circle on a purple background",
        "a white star on a brown background",
        "a small red star in the top left on a white background",
        "a small blue circle in the bottom right on a pink background",
        "a large black heart on a yellow background",
        "an orange triangle in the top right on a green background",
    ];

    private const int Scale = 2;
    private const int Padding = 8;
    private const int CaptionHeight = 46;
    private const float FontSize = 11f;

    /// <summary>Runs the command; returns the exit code.</summary>
    /// <exception cref="UsageException">Bad input.</exception>
    public async Task<int> RunAsync(CommandLine line, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        line.RefusePositionals();

        var modelDirectory = ModelOption.Resolve(line);
        var output = line.Get("out") ?? Path.Combine("docs", "images", "contact-sheet.png");
        var file = line.Get("prompts");
        if (file is not null && !File.Exists(file))
        {
            throw new UsageException($"the prompts file '{file}' does not exist.");
        }

        var prompts = file is not null
            ? (await File.ReadAllLinesAsync(file, cancellationToken).ConfigureAwait(false)).Where(l => !string.IsNullOrWhiteSpace(l)).ToList()
            : [.. DefaultPrompts];
        if (prompts.Count == 0)
        {
            throw new UsageException("the prompts file has no prompts.");
        }

        if (!Directory.Exists(modelDirectory))
        {
            throw new UsageException($"the model folder '{modelDirectory}' does not exist.");
        }

        var seed = line.GetLong("seed") ?? 1;
        var requestedSteps = line.GetInt("steps", 1, StableDiffusionPipeline.MaxSteps);
        var columns = line.GetInt("columns", 1, 16) ?? 4;
        var guidance = line.GetDouble("guidance", 0, 50);
        var scheduler = CommonOptions.ReadScheduler(line);
        var provider = ProviderOption.Read(line);
        using var model = GenerateCommand.LoadModel(modelDirectory, provider, error, cancellationToken);
        var steps = requestedSteps ?? model.DefaultSteps;
        var pipeline = new StableDiffusionPipeline(model);
        var tiles = new List<(string Prompt, Diffusion.Imaging.RgbImage Image)>();
        foreach (var prompt in prompts)
        {
            GenerationResult result;
            try
            {
                result = await pipeline.RunAsync(
                    new GenerationSettings { Prompt = prompt, Seed = seed, Steps = steps, Scheduler = scheduler, GuidanceScale = guidance }, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                throw SettingsErrors.ToUsage(ex);
            }

            tiles.Add((prompt, result.Images[0].Image));
            console.WriteLineUnwrapped(string.Create(CultureInfo.InvariantCulture, $"{prompt} (seed {seed}, {result.Elapsed.TotalMilliseconds:F0} ms)"));
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(output));
        Directory.CreateDirectory(directory!);
        await File.WriteAllBytesAsync(output, Render(tiles, columns), cancellationToken).ConfigureAwait(false);
        console.WriteLineUnwrapped($"wrote {output} ({tiles.Count} images, model {modelDirectory})");
        return 0;
    }

    private static byte[] Render(List<(string Prompt, Diffusion.Imaging.RgbImage Image)> tiles, int columns)
    {
        var tileWidth = tiles.Max(t => t.Image.Width) * Scale;
        var tileHeight = tiles.Max(t => t.Image.Height) * Scale;
        var rows = (tiles.Count + columns - 1) / columns;
        var width = (columns * (tileWidth + Padding)) + Padding;
        var height = (rows * (tileHeight + CaptionHeight + Padding)) + Padding;
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var typeface = LoadTypeface();
        using var font = new SKFont(typeface, FontSize);
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        for (var i = 0; i < tiles.Count; i++)
        {
            var (prompt, image) = tiles[i];
            var x = Padding + ((i % columns) * (tileWidth + Padding));
            var y = Padding + ((i / columns) * (tileHeight + CaptionHeight + Padding));
            using var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
            for (var py = 0; py < image.Height; py++)
            {
                for (var px = 0; px < image.Width; px++)
                {
                    var o = 3 * ((py * image.Width) + px);
                    bitmap.SetPixel(px, py, new SKColor(image.Pixels[o], image.Pixels[o + 1], image.Pixels[o + 2]));
                }
            }

            using var skImage = SKImage.FromBitmap(bitmap);
            canvas.DrawImage(skImage, SKRect.Create(x, y, image.Width * Scale, image.Height * Scale), new SKSamplingOptions(SKFilterMode.Nearest));
            var lineY = y + tileHeight + FontSize + 2;
            foreach (var text in Wrap(prompt, font, tileWidth))
            {
                canvas.DrawText(text, x, lineY, SKTextAlign.Left, font, paint);
                lineY += FontSize + 2;
            }
        }

        using var snapshot = surface.Snapshot();
        using var data = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static IEnumerable<string> Wrap(string text, SKFont font, float width)
    {
        var current = string.Empty;
        foreach (var word in text.Split(' '))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (current.Length > 0 && font.MeasureText(candidate) > width)
            {
                yield return current;
                current = word;
            }
            else
            {
                current = candidate;
            }
        }

        if (current.Length > 0)
        {
            yield return current;
        }
    }

    /// <summary>DejaVu Sans where the system has it (a fixed look across machines), else Skia's default face.</summary>
    private static SKTypeface LoadTypeface()
    {
        const string DejaVu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
        return (File.Exists(DejaVu) ? SKTypeface.FromFile(DejaVu) : null) ?? SKTypeface.Default;
    }
}
