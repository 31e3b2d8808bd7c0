namespace DiffusionFunctions.Diffusion.Families;

/// <summary>
/// The LCM guidance embedding (<c>timestep_cond</c>), as diffusers' <c>LatentConsistencyModelPipeline.get_guidance_scale_embedding</c>
/// computes it in float32: <c>w = (guidance_scale - 1) * 1000</c>, <c>f_i = exp(-i * ln(10000) / (half - 1))</c> for
/// <c>i &lt; half = dim / 2</c>, then <c>[sin(w f), cos(w f)]</c>, zero-padded to an odd <c>dim</c>.
/// </summary>
public static class GuidanceEmbedding
{
    /// <summary>The embedding of <paramref name="guidanceScale"/> with <paramref name="dim"/> values (the UNet's <c>time_cond_proj_dim</c>).</summary>
    public static float[] Compute(double guidanceScale, int dim)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 4);
        var w = (float)(guidanceScale - 1) * 1000f;
        var half = dim / 2;
        var step = MathF.Log(10000f) / (half - 1);
        var result = new float[dim];
        for (var i = 0; i < half; i++)
        {
            var argument = w * MathF.Exp(i * -step);
            result[i] = MathF.Sin(argument);
            result[half + i] = MathF.Cos(argument);
        }

        return result;
    }
}
