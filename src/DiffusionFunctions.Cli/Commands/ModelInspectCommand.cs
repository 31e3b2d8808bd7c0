using System.Globalization;
using Spectre.Console;

namespace DiffusionFunctions.Cli.Commands;

/// <summary><c>dfx model inspect DIR [--provider]</c>: loads a model folder and prints what the loader found.</summary>
public sealed class ModelInspectCommand(IAnsiConsole console, TextWriter error)
{
    /// <summary>The accepted options.</summary>
    public static readonly IReadOnlyCollection<string> Options = [ProviderOption.Name];

    /// <summary>Runs the command; returns the exit code.</summary>
    /// <exception cref="UsageException">Bad input, including a folder that does not load.</exception>
    public Task<int> RunAsync(CommandLine line, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Positionals.Count != 1)
        {
            throw new UsageException("usage: dfx model inspect DIR [--provider auto|cuda|cpu]");
        }

        using var model = GenerateCommand.LoadModel(line.Positionals[0], ProviderOption.Read(line), error, cancellationToken);
        var c = CultureInfo.InvariantCulture;
        console.WriteLine($"model: {model.Name}");
        console.WriteLine($"folder: {Path.GetFullPath(model.Directory)}");
        console.WriteLine($"provider: {model.ExecutionProvider.ToString().ToLowerInvariant()} (requested {model.Options.Provider.ToString().ToLowerInvariant()}), IOBinding: {(model.UsesIoBinding ? "on" : "off")}");
        console.WriteLine(string.Create(c, $"vae scaling factor: {model.VaeScalingFactor}"));
        console.WriteLine(string.Create(c, $"default size: {model.DefaultWidth}x{model.DefaultHeight}"));
        console.WriteLine($"scheduler: {model.SchedulerConfig.ClassName ?? "(none)"} (prediction {model.SchedulerConfig.PredictionType.ToString().ToLowerInvariant()})");
        console.WriteLine(string.Create(c, $"unet: {model.Unet.InChannels} input channels{(model.Unet.IsInpainting ? " (inpainting)" : "")}, timestep {model.Unet.TimestepForm}, text width {model.Unet.HiddenSize?.ToString(c) ?? "dynamic"}"));
        console.WriteLine($"tokenizer: max length {model.Tokenizer.MaxLength}, pad id {model.Tokenizer.PadTokenId}");
        console.WriteLine($"vae encoder: {(model.VaeEncoder is { } encoder ? encoder.OutputName : "none")}; safety checker: {(model.SafetyChecker is null ? "none" : "yes")}");

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
        return Task.FromResult(0);
    }

    // "sample: float32[batch,4,h,w]" -> "float32[batch,4,h,w]"
    private static string TypeAndShape(Diffusion.Onnx.TensorSpec spec) => spec.ToString()[(spec.Name.Length + 2)..];
}
