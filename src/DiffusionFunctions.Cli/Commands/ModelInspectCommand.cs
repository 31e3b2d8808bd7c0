using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DiffusionFunctions.Diffusion.Onnx;
using Spectre.Console;

namespace DiffusionFunctions.Cli.Commands;

/// <summary><c>dfx model inspect DIR [--provider] [--json]</c>: loads a model folder and prints what the loader found.</summary>
public sealed class ModelInspectCommand(IAnsiConsole console, TextWriter error)
{
    /// <summary>What the command accepts.</summary>
    public static readonly CommandSpec Spec = new(
        "model inspect",
        "Load a model folder and print its parts, tensor names, types and shapes, scheduler, VAE scaling and provider.",
        "DIR",
        [CommonOptions.Provider, OptionSpec.Flag("json", "print one JSON document on stdout instead of text")],
        ["example: dfx model inspect models/tiny-shapes --json"]);

    /// <summary>Runs the command; returns the exit code.</summary>
    /// <exception cref="UsageException">Bad input, including a folder that does not load.</exception>
    public Task<int> RunAsync(CommandLine line, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Positionals.Count != 1)
        {
            throw new UsageException("dfx model inspect needs one model folder: dfx model inspect DIR [--provider auto|cuda|cpu] [--json].");
        }

        var provider = ProviderOption.Read(line);
        var directory = line.Positionals[0];
        if (!Directory.Exists(directory))
        {
            throw new UsageException($"the model folder '{directory}' does not exist.");
        }

        using var model = GenerateCommand.LoadModel(directory, provider, error, cancellationToken);
        if (line.Has("json"))
        {
            console.WriteLineUnwrapped(ToJson(model));
        }
        else
        {
            WriteText(model);
        }

        return Task.FromResult(0);
    }

    private static string ToJson(StableDiffusionModel model)
    {
        var parts = new JsonArray();
        foreach (var part in model.Parts)
        {
            parts.Add(new JsonObject
            {
                ["part"] = part.DisplayPath,
                ["inputs"] = Tensors(part.Inputs),
                ["outputs"] = Tensors(part.Outputs),
            });
        }

        var document = new JsonObject
        {
            ["model"] = model.Name,
            ["family"] = model.Family.Name,
            ["familyDescription"] = model.FamilyDescription,
            ["textEncoders"] = new JsonArray([.. model.Family.TextEncoderParts.Select(p => (JsonNode)p)]),
            ["defaultSteps"] = model.DefaultSteps,
            ["folder"] = Path.GetFullPath(model.Directory),
            ["provider"] = model.ExecutionProvider.ToString().ToLowerInvariant(),
            ["requestedProvider"] = model.Options.Provider.ToString().ToLowerInvariant(),
            ["ioBinding"] = model.UsesIoBinding,
            ["vaeScalingFactor"] = model.VaeScalingFactor,
            ["defaultWidth"] = model.DefaultWidth,
            ["defaultHeight"] = model.DefaultHeight,
            ["defaultGuidanceScale"] = model.DefaultGuidanceScale,
            ["scheduler"] = model.SchedulerConfig.ClassName,
            ["predictionType"] = model.SchedulerConfig.PredictionType.ToString().ToLowerInvariant(),
            ["unetInChannels"] = model.Unet.InChannels,
            ["inpainting"] = model.Unet.IsInpainting,
            ["tokenizerMaxLength"] = model.Tokenizer.MaxLength,
            ["vaeEncoder"] = model.VaeEncoder?.OutputName,
            ["safetyChecker"] = model.SafetyChecker is not null,
            ["parts"] = parts,
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

        static JsonArray Tensors(IEnumerable<TensorSpec> specs) =>
            [.. specs.Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["type"] = TypeAndShape(s) })];
    }

    private void WriteText(StableDiffusionModel model)
    {
        var c = CultureInfo.InvariantCulture;
        console.WriteLineUnwrapped($"model: {model.Name}");
        console.WriteLineUnwrapped($"family: {model.FamilyDescription} — {model.Family.Description}");
        console.WriteLineUnwrapped($"folder: {Path.GetFullPath(model.Directory)}");
        console.WriteLineUnwrapped($"provider: {model.ExecutionProvider.ToString().ToLowerInvariant()} (requested {model.Options.Provider.ToString().ToLowerInvariant()}), IOBinding: {(model.UsesIoBinding ? "on" : "off")}");
        console.WriteLineUnwrapped(string.Create(c, $"vae scaling factor: {model.VaeScalingFactor}"));
        console.WriteLineUnwrapped(string.Create(c, $"default size: {model.DefaultWidth}x{model.DefaultHeight}"));
        console.WriteLineUnwrapped(string.Create(c, $"default guidance: {model.DefaultGuidanceScale}, default steps: {model.DefaultSteps}"));
        console.WriteLineUnwrapped($"scheduler: {model.SchedulerConfig.ClassName ?? "(none)"} (prediction {model.SchedulerConfig.PredictionType.ToString().ToLowerInvariant()})");
        console.WriteLineUnwrapped(string.Create(c, $"unet: {model.Unet.InChannels} input channels{(model.Unet.IsInpainting ? " (inpainting)" : "")}, timestep {model.Unet.TimestepForm}, text width {model.Unet.HiddenSize?.ToString(c) ?? "dynamic"}"));
        console.WriteLineUnwrapped($"tokenizer: max length {model.Tokenizer.MaxLength}, pad id {model.Tokenizer.PadTokenId}");
        console.WriteLineUnwrapped($"vae encoder: {(model.VaeEncoder is { } encoder ? encoder.OutputName : "none")}; safety checker: {(model.SafetyChecker is null ? "none" : "yes")}");

        var table = new Table().AddColumns("part", "direction", "tensor", "type");
        foreach (var part in model.Parts)
        {
            foreach (var input in part.Inputs)
            {
                table.AddRow(Markup.Escape(part.DisplayPath), "input", Markup.Escape(input.Name), Markup.Escape(TypeAndShape(input)));
            }

            foreach (var output in part.Outputs)
            {
                table.AddRow(Markup.Escape(part.DisplayPath), "output", Markup.Escape(output.Name), Markup.Escape(TypeAndShape(output)));
            }
        }

        console.Write(table);
    }

    // "sample: float32[batch,4,h,w]" -> "float32[batch,4,h,w]"
    private static string TypeAndShape(TensorSpec spec) => spec.ToString()[(spec.Name.Length + 2)..];
}
