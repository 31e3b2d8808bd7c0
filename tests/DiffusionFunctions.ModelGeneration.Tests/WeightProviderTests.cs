using DiffusionFunctions.ModelGeneration.Architectures;
using DiffusionFunctions.ModelGeneration.Weights;

namespace DiffusionFunctions.ModelGeneration.Tests;

/// <summary>The builders take their weights from any <see cref="IWeightProvider"/> (issue 6 drops trained weights in here).</summary>
public sealed class WeightProviderTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "dfx-modelgen-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_custom_provider_is_asked_for_exactly_the_described_parameters_and_its_values_are_used()
    {
        var architecture = StableDiffusionArchitecture.Resolve(ModelPreset.Tiny, ModelVariant.Default) with { IncludeVaeEncoder = false };
        var provider = new RecordingZeroProvider();

        await StableDiffusionModelGenerator.WriteAsync(
            new ModelGenerationRequest(Path.Combine(root, "zeros"), ModelPreset.Tiny, ModelVariant.Default, Seed: 0) { Architecture = architecture, Weights = provider });

        var described = StableDiffusionModelGenerator.DescribeParameters(architecture);
        Assert.Equal(described.Values.SelectMany(p => p).Select(p => $"{p.Component}/{p.Name}"), provider.Requested);
        Assert.Contains("unet/down_blocks.0.resnets.0.conv1.weight", provider.Requested);
        Assert.Contains("text_encoder/text_model.embeddings.token_embedding.weight", provider.Requested);
        Assert.Equal(new long[] { 16, 4, 3, 3 }, described["unet"].Single(p => p.Name == "conv_in.weight").Shape);

        // All-zero weights: the UNet's output convolution (zero weight, zero bias) gives exactly zero.
        using var session = OrtRunner.Open(Path.Combine(root, "zeros", "unet", "model.onnx"));
        using var sample = OrtRunner.Input(session, "sample", [1, 4, 8, 8], i => Math.Sin(i));
        using var timestep = OrtRunner.Input(session, "timestep", [1], _ => 10);
        using var context = OrtRunner.Input(session, "encoder_hidden_states", [1, 77, 32], i => Math.Cos(i));
        var output = OrtRunner.Run(session, new Dictionary<string, Microsoft.ML.OnnxRuntime.OrtValue>
        {
            ["sample"] = sample,
            ["timestep"] = timestep,
            ["encoder_hidden_states"] = context,
        })["out_sample"];
        Assert.All(output.Values, v => Assert.Equal(0f, v));
    }

    [Fact]
    public async Task A_provider_returning_the_wrong_number_of_values_is_named_in_the_error()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StableDiffusionModelGenerator.WriteAsync(
            new ModelGenerationRequest(Path.Combine(root, "short"), ModelPreset.Tiny, ModelVariant.Default, Seed: 0) { Weights = new ShortProvider() }));

        Assert.Equal(
            "The weight provider returned 3 values for 'text_model.embeddings.token_embedding.weight' in text_encoder; its shape [49408, 32] needs 1581056.",
            error.Message);
    }

    [Fact]
    public async Task Cancellation_stops_writing()
    {
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress(_ => cts.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            StableDiffusionModelGenerator.WriteAsync(Path.Combine(root, "cancelled"), ModelPreset.Tiny, ModelVariant.Default, 1, progress, cts.Token));

        // The text encoder finished before the cancellation; nothing after it was written.
        Assert.True(File.Exists(Path.Combine(root, "cancelled", "text_encoder", "model.onnx")));
        Assert.False(File.Exists(Path.Combine(root, "cancelled", "unet", "model.onnx")));
        Assert.False(File.Exists(Path.Combine(root, "cancelled", "model_index.json")));
    }

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private sealed class RecordingZeroProvider : IWeightProvider
    {
        public List<string> Requested { get; } = [];

        public float[] GetWeights(ParameterSpec parameter)
        {
            Requested.Add($"{parameter.Component}/{parameter.Name}");
            return new float[parameter.ElementCount];
        }
    }

    private sealed class ShortProvider : IWeightProvider
    {
        public float[] GetWeights(ParameterSpec parameter) => [1f, 2f, 3f];
    }

    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}

/// <summary>In-memory state dicts as a weight source, with and without a fallback.</summary>
public sealed class StateDictWeightProviderTests
{
    private static readonly ParameterSpec ConvIn = new("unet", "conv_in.weight", [2, 1, 1, 1], WeightInit.Bias);

    [Fact]
    public void Returns_the_stored_tensor()
    {
        var provider = new StateDictWeightProvider(new Dictionary<string, IReadOnlyDictionary<string, float[]>>
        {
            ["unet"] = new Dictionary<string, float[]> { ["conv_in.weight"] = [0.5f, -0.5f] },
        });

        Assert.Equal([0.5f, -0.5f], provider.GetWeights(ConvIn));
    }

    [Fact]
    public void Missing_tensor_uses_the_fallback_or_names_the_tensor()
    {
        var empty = new Dictionary<string, IReadOnlyDictionary<string, float[]>>();

        Assert.Equal(new SeededRandomWeightProvider(3).GetWeights(ConvIn), new StateDictWeightProvider(empty, new SeededRandomWeightProvider(3)).GetWeights(ConvIn));
        var error = Assert.Throws<KeyNotFoundException>(() => new StateDictWeightProvider(empty).GetWeights(ConvIn));
        Assert.Equal("The state dict of unet has no tensor 'conv_in.weight' (shape [2, 1, 1, 1]).", error.Message);
    }

    [Fact]
    public void Wrong_sized_tensor_is_refused()
    {
        var provider = new StateDictWeightProvider(new Dictionary<string, IReadOnlyDictionary<string, float[]>>
        {
            ["unet"] = new Dictionary<string, float[]> { ["conv_in.weight"] = [1f, 2f, 3f] },
        });

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetWeights(ConvIn));
        Assert.Equal("State dict tensor 'conv_in.weight' of unet has 3 values; the architecture expects shape [2, 1, 1, 1] (2).", error.Message);
    }
}
