namespace DiffusionFunctions.ModelGeneration.Tests;

/// <summary>
/// The random weights are scaled for whole generations: a 10-step DDIM loop (diffusers <c>scheduling_ddim.py</c>,
/// eta 0, SD's scaled-linear betas) through the tiny UNet and VAE decoder stays finite and gives a varied image.
/// </summary>
public sealed class DenoisingLoopTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ten_step_ddim_loop_stays_finite_and_decodes_to_a_varied_image(bool sd2)
    {
        var dir = await GeneratedModelCache.GetTinyAsync(sd2 ? new ModelVariant { Sd2 = true } : ModelVariant.Default);
        using var unet = OrtRunner.Open(Path.Combine(dir, "unet", "model.onnx"));
        using var vae = OrtRunner.Open(Path.Combine(dir, "vae_decoder", "model.onnx"));
        var hidden = sd2 ? 64 : 32;

        // scaled_linear: betas = linspace(sqrt(0.00085), sqrt(0.012), 1000)^2.
        var alphasCumprod = new double[1000];
        var product = 1.0;
        for (var i = 0; i < 1000; i++)
        {
            var root = Math.Sqrt(0.00085) + ((Math.Sqrt(0.012) - Math.Sqrt(0.00085)) * i / 999.0);
            product *= 1 - (root * root);
            alphasCumprod[i] = product;
        }

        var latents = Enumerable.Range(0, 4 * 8 * 8).Select(i => (float)Math.Sin(i * 12.9898) * 1.2f).ToArray();
        using var context = OrtRunner.Input(unet, "encoder_hidden_states", [1, 77, hidden], i => Math.Cos(i * 0.11));
        for (var step = 0; step < 10; step++)
        {
            var t = 901 - (step * 100);
            var previous = t - 100;
            using var sample = OrtRunner.Input(unet, "sample", [1, 4, 8, 8], i => latents[i]);
            using var timestep = OrtRunner.Input(unet, "timestep", [1], _ => t);
            var output = OrtRunner.Run(unet, new Dictionary<string, Microsoft.ML.OnnxRuntime.OrtValue>
            {
                ["sample"] = sample,
                ["timestep"] = timestep,
                ["encoder_hidden_states"] = context,
            })["out_sample"].Values;

            var alpha = alphasCumprod[t];
            var alphaPrevious = previous >= 0 ? alphasCumprod[previous] : alphasCumprod[0];
            for (var i = 0; i < latents.Length; i++)
            {
                double x = latents[i], m = output[i];
                var (x0, eps) = sd2
                    ? ((Math.Sqrt(alpha) * x) - (Math.Sqrt(1 - alpha) * m), (Math.Sqrt(alpha) * m) + (Math.Sqrt(1 - alpha) * x))
                    : ((x - (Math.Sqrt(1 - alpha) * m)) / Math.Sqrt(alpha), m);
                latents[i] = (float)((Math.Sqrt(alphaPrevious) * x0) + (Math.Sqrt(1 - alphaPrevious) * eps));
            }

            Assert.All(latents, v => Assert.True(float.IsFinite(v) && Math.Abs(v) < 1e4, $"latent {v} after step {step}"));
        }

        using var scaled = OrtRunner.Input(vae, "latent_sample", [1, 4, 8, 8], i => latents[i] / 0.18215);
        var image = OrtRunner.Run(vae, new Dictionary<string, Microsoft.ML.OnnxRuntime.OrtValue> { ["latent_sample"] = scaled })["sample"].Values;
        Assert.All(image, v => Assert.InRange(v, -1f, 1f));
        var mean = image.Average();
        var std = Math.Sqrt(image.Select(v => (v - mean) * (v - mean)).Average());
        Assert.True(std > 0.05, $"decoded image is nearly flat (std {std})");
    }
}
