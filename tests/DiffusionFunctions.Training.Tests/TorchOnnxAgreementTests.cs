using DiffusionFunctions.Diffusion.Tokenization;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Training.Export;
using DiffusionFunctions.Training.Networks;
using DiffusionFunctions.Training.Training;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = TorchSharp.torch.Tensor;
using TorchSharp;
using static TorchSharp.torch;

namespace DiffusionFunctions.Training.Tests;

/// <summary>
/// The networks trained in TorchSharp and the ONNX graphs written by the ModelGeneration builders must compute the
/// same function: random-initialised bags are exported through the real writer and every component is run in both
/// on the same inputs. Tolerance: max |difference| &lt;= 1e-4 x (1 + max |value|) (float32, different kernels).
/// </summary>
public sealed class TorchOnnxAgreementTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "dfx-agree-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Exported_graphs_match_the_TorchSharp_networks()
    {
        TorchNativeSetup.EnsureLoadable();
        manual_seed(11);
        var tokenizer = ClipTokenizer.FromOpenAiBpe(RepositoryPaths.ClipBpeVocabulary);
        var architecture = TinyShapesRecipe.Architecture(tokenizer);
        using var text = new ParameterBag("text_encoder");
        using var unet = new ParameterBag("unet");
        using var encoder = new ParameterBag("vae_encoder");
        using var decoder = new ParameterBag("vae_decoder");
        using var textNetwork = new TextEncoderNetwork(architecture.TextEncoder);

        // Inputs: a real caption plus a prompt with a word the model never saw (shared row), images, latents, timesteps.
        var prompts = new[] { "a small red star in the top left on a white background", "a purple dragon" };
        var ids = prompts.SelectMany(p => tokenizer.Encode(p).Ids).ToArray();
        using var image = rand(2, 3, 64, 64) * 2 - 1;
        using var latent = randn(2, 4, 8, 8);
        using var timestep = tensor(new float[] { 999f, 37f });

        Tensor torchText, torchUnet, torchEncoded, torchDecoded;
        using (no_grad())
        {
            torchText = textNetwork.Forward(text, tensor(ids.Select(i => (long)i).ToArray(), [2, 77]));
            torchUnet = UnetNetwork.Forward(unet, architecture.Unet, latent, timestep, torchText);
            torchEncoded = AutoencoderNetwork.Encode(encoder, architecture.Vae, image);
            torchDecoded = AutoencoderNetwork.Decode(decoder, architecture.Vae, latent);
        }

        // Export with scale 1 / 0.18215 so the folded factor k is exactly 1 and raw outputs compare directly.
        await TinyShapesTraining.ExportAsync(folder, architecture, 1.0 / TinyShapesTraining.ScalingFactor, encoder, decoder, unet, text, RepositoryPaths.ClipBpeVocabulary, CancellationToken.None);

        var onnxText = Run("text_encoder", ("input_ids", new DenseTensor<int>(ids, [2, 77])));
        AssertClose("text_encoder", torchText, onnxText);
        var onnxUnet = Run(
            "unet",
            ("sample", Dense(latent)),
            ("timestep", Dense(timestep)),
            ("encoder_hidden_states", new DenseTensor<float>(onnxText, [2, 77, 128])));
        AssertClose("unet", torchUnet, onnxUnet);
        AssertClose("vae_encoder", torchEncoded, Run("vae_encoder", ("sample", Dense(image))));
        AssertClose("vae_decoder", torchDecoded, Run("vae_decoder", ("latent_sample", Dense(latent))));

        // The unknown word maps to the shared row: its state differs from the caption's but is finite.
        Assert.All(onnxText, v => Assert.True(float.IsFinite(v)));
    }

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private float[] Run(string component, params (string Name, object Tensor)[] inputs)
    {
        using var session = new InferenceSession(Path.Combine(folder, component, "model.onnx"));
        var values = inputs.Select(i => i.Tensor switch
        {
            DenseTensor<int> t => NamedOnnxValue.CreateFromTensor(i.Name, t),
            DenseTensor<float> t => NamedOnnxValue.CreateFromTensor(i.Name, t),
            _ => throw new ArgumentException(i.Name),
        }).ToList();
        using var results = session.Run(values);
        return results.First().AsEnumerable<float>().ToArray();
    }

    private static DenseTensor<float> Dense(Tensor t) =>
        new(t.contiguous().data<float>().ToArray(), t.shape.Select(d => (int)d).ToArray());

    private static void AssertClose(string component, Tensor expected, float[] actual)
    {
        var reference = expected.contiguous().data<float>().ToArray();
        Assert.Equal(reference.Length, actual.Length);
        var scale = reference.Max(MathF.Abs);
        var worst = reference.Zip(actual, (a, b) => MathF.Abs(a - b)).Max();
        Assert.True(worst <= 1e-4f * (1 + scale), $"{component}: max |torch - onnx| = {worst:E2} (values up to {scale:F3})");
    }
}
