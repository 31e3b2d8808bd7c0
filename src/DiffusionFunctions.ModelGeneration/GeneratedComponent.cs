namespace DiffusionFunctions.ModelGeneration;

/// <summary>One ONNX component written by the generator.</summary>
/// <param name="Name">The folder name: <c>text_encoder</c>, <c>unet</c>, <c>vae_decoder</c>, <c>vae_encoder</c> or <c>safety_checker</c>.</param>
/// <param name="ModelPath">Path of <c>model.onnx</c>.</param>
/// <param name="ExternalDataPath">Path of the external weights file, or null when the weights are inside the protobuf.</param>
/// <param name="ParameterCount">Learnable values in the component.</param>
/// <param name="ModelBytes">Size of <c>model.onnx</c>.</param>
/// <param name="ExternalDataBytes">Size of the external weights file (0 without one).</param>
public sealed record GeneratedComponent(
    string Name,
    string ModelPath,
    string? ExternalDataPath,
    long ParameterCount,
    long ModelBytes,
    long ExternalDataBytes);
