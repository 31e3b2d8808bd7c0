using DiffusionFunctions.Training.Shapes;
using DiffusionFunctions.Training.Tests.Analysis;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit.Abstractions;

namespace DiffusionFunctions.Training.Tests.Semantic;

/// <summary>The shipped autoencoder alone: decode(encode(render)) must still read as the rendered scene.</summary>
public sealed class AutoencoderRoundTripTests(ITestOutputHelper output)
{
    [TinyShapesModelFact]
    public void Round_trip_keeps_colours_shape_size_and_position()
    {
        using var encoder = new InferenceSession(Path.Combine(TinyShapesModelFixture.FolderPath, "vae_encoder", "model.onnx"));
        using var decoder = new InferenceSession(Path.Combine(TinyShapesModelFixture.FolderPath, "vae_decoder", "model.onnx"));
        var scenes = TrainingScenes.Everything().Where((_, i) => i % 37 == 0).ToList();
        var tally = new AccuracyTally("autoencoder round trip");
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

            tally.Add(scene, SceneAnalyser.Analyse(back));
        }

        var rms = Math.Sqrt(latentSquares / latentCount);
        var lines = new List<string>
        {
            AccuracyTally.Header,
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
            tally.Row(),
            $"latent RMS after the 0.18215 factor: {rms:F3}",
        };
        lines.AddRange(tally.Misses.Select(miss => "  miss: " + miss));
        foreach (var line in lines)
        {
            output.WriteLine(line);
        }

        AccuracyReport.Append("Autoencoder round trip", lines);
        Assert.InRange(rms, 0.8, 1.25);
        Assert.Empty(tally.TargetFailures());
    }
}
