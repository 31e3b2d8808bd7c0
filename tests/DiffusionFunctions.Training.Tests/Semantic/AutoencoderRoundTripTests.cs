using DiffusionFunctions.Training.Shapes;
using DiffusionFunctions.Training.Tests.Analysis;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit.Abstractions;

namespace DiffusionFunctions.Training.Tests.Semantic;

/// <summary>
/// The shipped autoencoder alone: decode(encode(render)) must still read as the rendered scene. Tallied per size: medium
/// and large shapes (the sizes whose shape the semantic tables judge) must meet the targets; small shapes (a 16-pixel
/// star spans two latent cells) must keep colours, size and position, and their shape rate is reported.
/// </summary>
public sealed class AutoencoderRoundTripTests(ITestOutputHelper output)
{
    [TinyShapesModelFact]
    public void Round_trip_keeps_colours_shape_size_and_position()
    {
        using var encoder = new InferenceSession(Path.Combine(TinyShapesModelFixture.FolderPath, "vae_encoder", "model.onnx"));
        using var decoder = new InferenceSession(Path.Combine(TinyShapesModelFixture.FolderPath, "vae_decoder", "model.onnx"));
        var scenes = TrainingScenes.Everything().Where((_, i) => i % 13 == 0).ToList();
        var tallies = Enum.GetValues<ShapeSize>().ToDictionary(size => size, size => new AccuracyTally($"autoencoder round trip, {size.ToString().ToLowerInvariant()}"));
        double latentSquares = 0;
        long latentCount = 0;
        foreach (var scene in scenes)
        {
            var rgb = ShapeRenderer.Render(scene);
            var image = new DenseTensor<float>([1, 3, 64, 64]);
            for (var p = 0; p < 64 * 64; p++)
            {
                for (var c = 0; c < 3; c++)
                {
                    image[0, c, p / 64, p % 64] = (rgb[(3 * p) + c] / 127.5f) - 1f;
                }
            }

            using var encoded = encoder.Run([NamedOnnxValue.CreateFromTensor("sample", image)]);
            var latent = encoded.First().AsTensor<float>().ToDenseTensor();
            foreach (var v in latent)
            {
                latentSquares += 0.18215 * 0.18215 * v * v;
                latentCount++;
            }

            using var decoded = decoder.Run([NamedOnnxValue.CreateFromTensor("latent_sample", latent)]);
            var pixels = decoded.First().AsTensor<float>();
            var back = new byte[64 * 64 * 3];
            for (var p = 0; p < 64 * 64; p++)
            {
                for (var c = 0; c < 3; c++)
                {
                    back[(3 * p) + c] = (byte)Math.Clamp(Math.Round((pixels[0, c, p / 64, p % 64] + 1) * 127.5), 0, 255);
                }
            }

            tallies[scene.Size].Add(scene, back);
        }

        var rms = Math.Sqrt(latentSquares / latentCount);
        var lines = AccuracyTally.Table(tallies.Values, [$"latent RMS after the 0.18215 factor: {rms:F3}"]);
        foreach (var line in lines)
        {
            output.WriteLine(line);
        }

        AccuracyReport.Append("Autoencoder round trip", lines);
        Assert.InRange(rms, 0.8, 1.25);
        var failures = tallies[ShapeSize.Medium].TargetFailures().Concat(tallies[ShapeSize.Large].TargetFailures()).ToList();
        var small = tallies[ShapeSize.Small];
        foreach (var (what, rate) in new[] { ("background", small.BackgroundRate), ("foreground", small.ForegroundRate), ("size", small.SizeRate), ("position", small.PositionRate) })
        {
            if (rate < 0.95)
            {
                failures.Add($"{small.Name}: {what} {rate:P1} < 95%");
            }
        }

        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }
}
