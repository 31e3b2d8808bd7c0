using DiffusionFunctions.Diffusion.Pipeline;

namespace DiffusionFunctions.Diffusion.Tests.Pipeline;

public sealed class GuidanceRescaleTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public void Full_rescale_gives_the_conditional_standard_deviation_and_half_blends()
    {
        float[] conditional = [0.5f, -1.0f, 2.0f, 0.0f, 1.5f, -0.5f];
        float[] guided = [3.0f, -4.0f, 9.0f, 1.0f, 5.0f, -2.0f];

        var full = (float[])guided.Clone();
        GuidanceRescale.Apply(full, conditional, 1.0f);
        Assert.Equal(GuidanceRescale.StandardDeviation(conditional), GuidanceRescale.StandardDeviation(full), 5);

        // diffusers: rescale * (cfg * std_text / std_cfg) + (1 - rescale) * cfg; torch.std is unbiased (n - 1).
        var half = (float[])guided.Clone();
        GuidanceRescale.Apply(half, conditional, 0.5f);
        var stdText = Math.Sqrt(conditional.Select(v => Math.Pow(v - conditional.Average(), 2)).Sum() / (conditional.Length - 1));
        var stdCfg = Math.Sqrt(guided.Select(v => Math.Pow(v - guided.Average(), 2)).Sum() / (guided.Length - 1));
        for (var j = 0; j < guided.Length; j++)
        {
            Assert.Equal((0.5 * guided[j] * stdText / stdCfg) + (0.5 * guided[j]), half[j], 5);
        }
    }

    [Fact]
    public async Task Rescale_changes_a_guided_run_and_out_of_range_values_are_refused()
    {
        var settings = new GenerationSettings { Prompt = "a photo of a cat", Steps = 2, Seed = 3, Scheduler = "euler", GuidanceScale = 7.5 };
        var plain = await fixture.Pipeline.RunAsync(settings);
        var explicitOff = await fixture.Pipeline.RunAsync(settings with { GuidanceRescale = 0 });
        var rescaled = await fixture.Pipeline.RunAsync(settings with { GuidanceRescale = 0.7 });

        Assert.Equal(plain.Images[0].Image.Pixels, explicitOff.Images[0].Image.Pixels);
        Assert.NotEqual(plain.Images[0].Image.Pixels, rescaled.Images[0].Image.Pixels);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Pipeline.RunAsync(settings with { GuidanceRescale = 1.5 }));
        Assert.StartsWith("GenerationSettings.GuidanceRescale must be 0-1, not 1.5.", error.Message, StringComparison.Ordinal);
    }
}
