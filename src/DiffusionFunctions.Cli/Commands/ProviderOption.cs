using DiffusionFunctions.Diffusion.Onnx;

namespace DiffusionFunctions.Cli.Commands;

/// <summary>The <c>--provider auto|cuda|cpu</c> option.</summary>
internal static class ProviderOption
{
    public const string Name = "provider";

    public static readonly IReadOnlyDictionary<string, ExecutionProviderKind> Choices = new Dictionary<string, ExecutionProviderKind>(StringComparer.Ordinal)
    {
        ["auto"] = ExecutionProviderKind.Auto,
        ["cuda"] = ExecutionProviderKind.Cuda,
        ["cpu"] = ExecutionProviderKind.Cpu,
    };

    public static DiffusionEngineOptions Read(CommandLine line) =>
        new() { Provider = line.GetEnum(Name, Choices) ?? ExecutionProviderKind.Auto };
}
