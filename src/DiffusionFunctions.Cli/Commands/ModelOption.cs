using DiffusionFunctions.Diffusion.Onnx;

namespace DiffusionFunctions.Cli.Commands;

/// <summary>The <c>--model DIR</c> option: the folder given, else the shipped tiny-shapes model.</summary>
internal static class ModelOption
{
    public const string Name = "model";

    /// <exception cref="UsageException">No <c>--model</c> and the shipped model is neither beside dfx nor above the current directory.</exception>
    public static string Resolve(CommandLine line) =>
        line.Get(Name) ?? ShippedModel.Locate()
            ?? throw new UsageException($"no --model given and the shipped model ({ShippedModel.RelativePath}) was found neither beside dfx nor above the current directory.");
}
