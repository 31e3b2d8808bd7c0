namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>
/// Thrown when <see cref="DiffusionEngineOptions.RequireGpu"/> is set and the CUDA execution provider cannot be used: a
/// GPU-priced process must not quietly run on the CPU. The message names the missing library.
/// </summary>
public sealed class GpuUnavailableException(string message, Exception? innerException = null) : InvalidOperationException(message, innerException);
