namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>One UNet input as it was fed: its shape and its values as float32.</summary>
public sealed record UnetInputRecord(long[] Shape, float[] Values);
