namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>
/// The UNet inputs beyond sample, timestep and text states, each a [batch, width] row-major batch in the order of the text
/// states (negative rows first under classifier-free guidance): SDXL's pooled <c>text_embeds</c> and <c>time_ids</c>, and the
/// LCM guidance embedding <c>timestep_cond</c>. Null where the UNet has no such input.
/// </summary>
internal sealed record UnetAddedInputs(float[]? TextEmbeds, float[]? TimeIds, float[]? TimestepCond)
{
    /// <summary>No added inputs (SD 1.x/2.x).</summary>
    public static UnetAddedInputs None { get; } = new(null, null, null);
}
