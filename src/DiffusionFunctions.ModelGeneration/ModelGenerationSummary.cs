namespace DiffusionFunctions.ModelGeneration;

/// <summary>What <see cref="StableDiffusionModelGenerator.WriteAsync(string, ModelPreset, ModelVariant, int, IProgress{string}?, CancellationToken)"/> wrote.</summary>
/// <param name="Directory">The model folder.</param>
/// <param name="Preset">The preset written.</param>
/// <param name="Variant">The variant written.</param>
/// <param name="Seed">The weight seed.</param>
/// <param name="Components">The ONNX components, in writing order.</param>
/// <param name="Files">Every file written (absolute paths).</param>
/// <param name="TotalBytes">Sum of the sizes of <paramref name="Files"/>.</param>
public sealed record ModelGenerationSummary(
    string Directory,
    ModelPreset Preset,
    ModelVariant Variant,
    int Seed,
    IReadOnlyList<GeneratedComponent> Components,
    IReadOnlyList<string> Files,
    long TotalBytes)
{
    /// <summary>The component named <paramref name="name"/>.</summary>
    public GeneratedComponent this[string name] =>
        Components.FirstOrDefault(c => c.Name == name) ?? throw new KeyNotFoundException($"No component '{name}' was generated.");
}
