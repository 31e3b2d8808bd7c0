namespace DiffusionFunctions.Diffusion.Pipeline;

/// <summary>
/// diffusers' <c>rescale_noise_cfg</c> (Lin et al. 2023, section 3.4): the guided noise prediction is rescaled to the
/// standard deviation of the conditional one and blended with itself by <c>guidance_rescale</c>. Standard deviations are
/// over the whole latent (channels, height, width) with Bessel's correction, as <c>torch.std</c>.
/// </summary>
internal static class GuidanceRescale
{
    /// <summary>Rescales <paramref name="guided"/> in place.</summary>
    public static void Apply(Span<float> guided, ReadOnlySpan<float> conditional, float factor)
    {
        var ratio = StandardDeviation(conditional) / StandardDeviation(guided);
        if (!double.IsFinite(ratio))
        {
            return;
        }

        var scale = (float)((factor * ratio) + (1.0 - factor));
        for (var j = 0; j < guided.Length; j++)
        {
            guided[j] *= scale;
        }
    }

    internal static double StandardDeviation(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }

        var mean = sum / values.Length;
        double squares = 0;
        foreach (var v in values)
        {
            var d = v - mean;
            squares += d * d;
        }

        return Math.Sqrt(squares / (values.Length - 1));
    }
}
