using static TorchSharp.torch;

namespace DiffusionFunctions.Training.Training;

/// <summary>
/// Stable Diffusion's training noise schedule: <c>scaled_linear</c> betas from 0.00085 to 0.012 over 1000 steps
/// (diffusers <c>DDPMScheduler</c>), <c>alphas_cumprod</c>, and the min-SNR-gamma loss weight for epsilon prediction
/// (Hang et al. 2023, "Efficient Diffusion Training via Min-SNR Weighting Strategy": <c>min(SNR, gamma) / SNR</c>).
/// </summary>
internal sealed class NoiseSchedule : IDisposable
{
    public const int TrainSteps = 1000;

    public NoiseSchedule(float gamma = 5f)
    {
        var alphasCumprod = new double[TrainSteps];
        var product = 1.0;
        var start = Math.Sqrt(0.00085);
        var end = Math.Sqrt(0.012);
        var weights = new float[TrainSteps];
        for (var i = 0; i < TrainSteps; i++)
        {
            var s = start + ((end - start) * i / (TrainSteps - 1));
            product *= 1.0 - (s * s);
            alphasCumprod[i] = product;
            var snr = product / (1.0 - product);
            weights[i] = (float)(Math.Min(snr, gamma) / snr);
        }

        AlphasCumprod = alphasCumprod;
        SqrtAlphaBar = tensor(alphasCumprod.Select(a => (float)Math.Sqrt(a)).ToArray());
        SqrtOneMinusAlphaBar = tensor(alphasCumprod.Select(a => (float)Math.Sqrt(1 - a)).ToArray());
        MinSnrWeight = tensor(weights);
    }

    public IReadOnlyList<double> AlphasCumprod { get; }

    public Tensor SqrtAlphaBar { get; }

    public Tensor SqrtOneMinusAlphaBar { get; }

    public Tensor MinSnrWeight { get; }

    public void Dispose()
    {
        SqrtAlphaBar.Dispose();
        SqrtOneMinusAlphaBar.Dispose();
        MinSnrWeight.Dispose();
    }
}
