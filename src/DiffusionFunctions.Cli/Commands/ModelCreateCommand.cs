using System.Globalization;
using DiffusionFunctions.ModelGeneration;
using Spectre.Console;

namespace DiffusionFunctions.Cli.Commands;

/// <summary>
/// <c>dfx model create --preset tiny|sd15 [--variant fp16,ids64,...] [--seed N] --out DIR</c>: writes a generated model folder
/// with the modelgen library.
/// </summary>
public sealed class ModelCreateCommand(IAnsiConsole console)
{
    /// <summary>What the command accepts.</summary>
    public static readonly CommandSpec Spec = new(
        "model create",
        "Write a generated model folder with random weights (for tests and benchmarks; it draws noise, not pictures).",
        "",
        [
            OptionSpec.Value("preset", "NAME", "tiny: a few MB, seconds per image; sd15: SD 1.5's shapes and sizes; sdxl-tiny, sdxl-refiner-tiny, sdxl-turbo-tiny, lcm-tiny, sd-turbo-tiny: those layouts at test size; sdxl: SDXL's shapes and sizes"),
            OptionSpec.Value("variant", "LIST", "comma-separated: fp16, ids64, t-int64, t-float32, t-float16, t-scalar, vae-sample, inpaint, no-vae-encoder, safety, sd2, external-weights", "none"),
            OptionSpec.Value("seed", "N", "the weight seed", "the generator's default"),
            OptionSpec.Value("out", "DIR", "the folder to write (must be empty or missing)"),
        ],
        ["example: dfx model create --preset tiny --out /tmp/tiny"]);

    /// <summary>The preset names <c>--preset</c> accepts.</summary>
    public static readonly IReadOnlyDictionary<string, ModelPreset> Presets = ModelPresetNames.All;

    /// <summary>The variant words <c>--variant</c> accepts, comma-separated.</summary>
    public static readonly IReadOnlyDictionary<string, Func<ModelVariant, ModelVariant>> VariantWords =
        new Dictionary<string, Func<ModelVariant, ModelVariant>>(StringComparer.Ordinal)
        {
            ["fp16"] = v => v with { Fp16 = true },
            ["ids64"] = v => v with { InputIdsInt64 = true },
            ["t-int64"] = v => v with { Timestep = TimestepForm.Int64Batch },
            ["t-float32"] = v => v with { Timestep = TimestepForm.Float32Batch },
            ["t-float16"] = v => v with { Timestep = TimestepForm.Float16Batch },
            ["t-scalar"] = v => v with { Timestep = TimestepForm.Scalar },
            ["vae-sample"] = v => v with { VaeEncoderOutput = VaeEncoderOutput.LatentSample },
            ["inpaint"] = v => v with { InpaintingUnet = true },
            ["no-vae-encoder"] = v => v with { IncludeVaeEncoder = false },
            ["safety"] = v => v with { IncludeSafetyChecker = true },
            ["sd2"] = v => v with { Sd2 = true },
            ["external-weights"] = v => v with { ExternalWeights = true },
        };

    /// <summary>Parses a comma-separated variant list.</summary>
    /// <exception cref="UsageException">An unknown word.</exception>
    public static ModelVariant ParseVariant(string? text)
    {
        var variant = ModelVariant.Default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return variant;
        }

        foreach (var word in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!VariantWords.TryGetValue(word.ToLowerInvariant(), out var apply))
            {
                throw new UsageException($"unknown variant '{word}'; valid variants: {string.Join(", ", VariantWords.Keys)}.");
            }

            variant = apply(variant);
        }

        return variant;
    }

    /// <summary>Runs the command; returns the exit code.</summary>
    /// <exception cref="UsageException">Bad input.</exception>
    public async Task<int> RunAsync(CommandLine line, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        line.RefusePositionals();

        var preset = line.GetEnum("preset", Presets) ?? throw new UsageException($"option --preset is required ({string.Join(", ", Presets.Keys)}).");
        var variant = ParseVariant(line.Get("variant"));
        var seed = line.GetInt("seed", 0, int.MaxValue) ?? GeneratedModelCache.DefaultSeed;
        var outDirectory = line.Require("out");
        if (Directory.Exists(outDirectory) && Directory.EnumerateFileSystemEntries(outDirectory).Any())
        {
            throw new UsageException($"the output folder '{outDirectory}' is not empty.");
        }

        var progress = new SynchronousProgress(message => console.WriteLineUnwrapped(message));
        await StableDiffusionModelGenerator.WriteAsync(outDirectory, preset, variant, seed, progress, cancellationToken).ConfigureAwait(false);
        console.WriteLineUnwrapped(string.Create(CultureInfo.InvariantCulture, $"wrote {ModelPresetNames.NameOf(preset)} ({variant.Key}, seed {seed}) to {Path.GetFullPath(outDirectory)}"));
        return 0;
    }

    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
