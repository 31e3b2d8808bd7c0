namespace DiffusionFunctions.Diffusion.Families;

/// <summary>One text encoded for the UNet: states [sequence, hidden] row-major, and the pooled embedding (SDXL) or null.</summary>
internal sealed record EncodedText(float[] States, int HiddenSize, float[]? Pooled)
{
    /// <summary>The same shapes filled with zeros (diffusers' <c>torch.zeros_like</c> for an empty negative prompt).</summary>
    public EncodedText Zeros() => new(new float[States.Length], HiddenSize, Pooled is null ? null : new float[Pooled.Length]);
}
