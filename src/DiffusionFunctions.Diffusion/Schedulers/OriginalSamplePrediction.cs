namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>x̂_0 from a model output, in the float32 operation order of the diffusers samplers, for the two noise parameterisations.</summary>
internal static class OriginalSamplePrediction
{
    /// <summary>Variance-exploding form (Euler, LMS): x̂_0 = x - σ ε, or the v-prediction c_out/c_skip form.</summary>
    public static void FromSigma(PredictionType prediction, float sigma, ReadOnlySpan<float> modelOutput, ReadOnlySpan<float> sample, Span<float> destination)
    {
        Check(modelOutput, sample, destination);
        var cOut = -sigma / MathF.Sqrt((sigma * sigma) + 1.0f);
        var cSkipDivisor = (sigma * sigma) + 1.0f;
        for (var i = 0; i < sample.Length; i++)
        {
            destination[i] = prediction switch
            {
                PredictionType.Epsilon => sample[i] - (sigma * modelOutput[i]),
                PredictionType.VPrediction => (modelOutput[i] * cOut) + (sample[i] / cSkipDivisor),
                _ => modelOutput[i],
            };
        }
    }

    /// <summary>Variance-preserving form (DDPM, DDIM, PNDM): x̂_0 = (x - √(1-ᾱ) ε) / √ᾱ, or √ᾱ x - √(1-ᾱ) v; optionally clipped.</summary>
    public static void FromAlphaProduct(
        PredictionType prediction, float alphaProduct, float? clipRange, ReadOnlySpan<float> modelOutput, ReadOnlySpan<float> sample, Span<float> destination)
    {
        Check(modelOutput, sample, destination);
        var sqrtAlpha = MathF.Sqrt(alphaProduct);
        var sqrtBeta = MathF.Sqrt(1.0f - alphaProduct);
        for (var i = 0; i < sample.Length; i++)
        {
            var x = sample[i];
            var m = modelOutput[i];
            var value = prediction switch
            {
                PredictionType.Epsilon => (x - (sqrtBeta * m)) / sqrtAlpha,
                PredictionType.VPrediction => (sqrtAlpha * x) - (sqrtBeta * m),
                _ => m,
            };
            destination[i] = clipRange is { } range ? Math.Clamp(value, -range, range) : value;
        }
    }

    private static void Check(ReadOnlySpan<float> modelOutput, ReadOnlySpan<float> sample, Span<float> destination)
    {
        SchedulerMath.CheckLengths(sample.Length, modelOutput.Length, nameof(modelOutput));
        SchedulerMath.CheckLengths(sample.Length, destination.Length, nameof(destination));
    }
}
