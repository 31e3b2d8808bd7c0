using DiffusionFunctions.Training.Shapes;
using DiffusionFunctions.Training.Tests.Analysis;
using Xunit.Abstractions;

namespace DiffusionFunctions.Training.Tests.Analysis;

public sealed class SceneAnalyserTests(ITestOutputHelper output)
{
    [Fact]
    public void Reads_dataset_renders_at_least_99_percent_right()
    {
        // Every 7th scene of all 540 combinations x sizes x positions (held-out ones included): about 1,100 renders.
        var scenes = TrainingScenes.Everything().Where((_, i) => i % 7 == 0).ToList();
        int background = 0, foreground = 0, shape = 0, size = 0, position = 0;
        var failures = new List<string>();
        foreach (var scene in scenes)
        {
            var analysis = SceneAnalyser.Analyse(ShapeRenderer.Render(scene));
            var ok = true;
            background += Count(analysis.Background == scene.Background, ref ok);
            foreground += Count(analysis.Foreground == scene.Foreground, ref ok);
            shape += Count(analysis.Shape == scene.Shape, ref ok);
            size += Count(analysis.Size == scene.Size, ref ok);
            position += Count(analysis.Position == scene.Position, ref ok);
            if (!ok && failures.Count < 10)
            {
                failures.Add($"{scene.Caption} -> {analysis}");
            }
        }

        var n = (double)scenes.Count;
        output.WriteLine($"analyser on {scenes.Count} renders: background {background / n:P1}, foreground {foreground / n:P1}, shape {shape / n:P1}, size {size / n:P1}, position {position / n:P1}");
        failures.ForEach(output.WriteLine);
        Assert.True(background / n >= 0.99, $"background {background / n:P1}");
        Assert.True(foreground / n >= 0.99, $"foreground {foreground / n:P1}");
        Assert.True(shape / n >= 0.99, $"shape {shape / n:P1}");
        Assert.True(size / n >= 0.99, $"size {size / n:P1}");
        Assert.True(position / n >= 0.99, $"position {position / n:P1}");
    }

    [Fact]
    public void Plain_image_has_no_shape()
    {
        var pixels = new byte[64 * 64 * 3];
        for (var i = 0; i < pixels.Length; i += 3)
        {
            (pixels[i], pixels[i + 1], pixels[i + 2]) = (40, 80, 220);
        }

        var analysis = SceneAnalyser.Analyse(pixels);
        Assert.Equal("blue", analysis.Background.Name);
        Assert.Null(analysis.Shape);
    }

    private static int Count(bool right, ref bool ok)
    {
        ok &= right;
        return right ? 1 : 0;
    }
}
