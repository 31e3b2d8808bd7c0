using System.Globalization;
using DiffusionFunctions.Diffusion.Tokenization;
using DiffusionFunctions.ModelGeneration.Architectures;
using DiffusionFunctions.ModelGeneration.Folder;
using DiffusionFunctions.ModelGeneration.Onnx;
using DiffusionFunctions.ModelGeneration.Weights;

namespace DiffusionFunctions.ModelGeneration.Trained;

/// <summary>
/// Writes a trained model as a diffusers / Optimum ONNX folder (<c>model_index.json</c>, <c>text_encoder/</c>,
/// <c>unet/</c>, <c>vae_decoder/</c>, <c>vae_encoder/</c>, <c>tokenizer/</c>, <c>scheduler/</c>, and
/// <c>generation_config.json</c> when the architecture names a default guidance scale) through the same graph
/// builders as <see cref="StableDiffusionModelGenerator"/>, with the weights from an <see cref="IWeightProvider"/>.
/// </summary>
public static class TrainedModelFolderWriter
{
    /// <summary>Writes the folder; returns the files written.</summary>
    /// <param name="outputDirectory">Created if missing; existing files of the same names are replaced.</param>
    /// <param name="architecture">The component shapes.</param>
    /// <param name="weights">Trained weights by component and state-dict name (PyTorch layout).</param>
    /// <param name="clipBpeVocabularyPath">The real CLIP <c>bpe_simple_vocab_16e6.txt.gz</c> (null: <see cref="ClipVocabularyLocator.Find"/>).</param>
    /// <param name="progress">One line per part.</param>
    /// <param name="cancellationToken">Checked between parts.</param>
    public static async Task<IReadOnlyList<string>> WriteAsync(
        string outputDirectory,
        TrainedModelArchitecture architecture,
        IWeightProvider weights,
        string? clipBpeVocabularyPath = null,
        IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(weights);
        var root = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(root);
        var files = new List<string>();
        var sd = Describe(architecture);

        async Task Component(string name, Action<OnnxGraphBuilder> build, System.Text.Json.Nodes.JsonObject config)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var directory = Path.Combine(root, name);
            Directory.CreateDirectory(directory);
            var g = new OnnxGraphBuilder(name, FloatPrecision.Float32, weights, new InlineInitializerStore(), cancellationToken);
            build(g);
            var modelPath = Path.Combine(directory, "model.onnx");
            var bytes = OnnxModelWriter.Write(g.Graph, modelPath);
            files.Add(modelPath);
            var configPath = Path.Combine(directory, "config.json");
            await JsonFile.WriteAsync(configPath, config, cancellationToken).ConfigureAwait(false);
            files.Add(configPath);
            progress?.Report(string.Create(CultureInfo.InvariantCulture, $"{name}: {g.ParameterCount:N0} parameters, {bytes:N0} bytes"));
        }

        await Component("text_encoder", g => CompactTextEncoderGraph.Build(g, architecture.TextEncoder), ModelFolderConfigs.TextEncoderConfig(sd.TextEncoder, fp16: false)).ConfigureAwait(false);
        await Component("unet", g => UnetGraph.Build(g, architecture.Unet), ModelFolderConfigs.UnetConfig(architecture.Unet)).ConfigureAwait(false);
        await Component("vae_decoder", g => VaeGraph.BuildDecoder(g, architecture.Vae), ModelFolderConfigs.VaeConfig(architecture.Vae)).ConfigureAwait(false);
        await Component("vae_encoder", g => VaeGraph.BuildEncoder(g, architecture.Vae, VaeEncoderOutput.LatentSample), ModelFolderConfigs.VaeConfig(architecture.Vae)).ConfigureAwait(false);

        var schedulerPath = Path.Combine(root, "scheduler", "scheduler_config.json");
        Directory.CreateDirectory(Path.GetDirectoryName(schedulerPath)!);
        var schedulerConfig = architecture.SchedulerClassName == "PNDMScheduler" ? ModelFolderConfigs.SchedulerConfig(sd) : ModelFolderConfigs.SchedulerConfig(sd, architecture.SchedulerClassName);
        await JsonFile.WriteAsync(schedulerPath, schedulerConfig, cancellationToken).ConfigureAwait(false);
        files.Add(schedulerPath);
        files.AddRange(await ClipVocabularyConverter.WriteHuggingFaceFilesAsync(
            clipBpeVocabularyPath ?? ClipVocabularyLocator.Find(), Path.Combine(root, "tokenizer"), sd.PadToken, cancellationToken: cancellationToken).ConfigureAwait(false));
        if (architecture.DefaultGuidanceScale is { } guidance)
        {
            var generationPath = Path.Combine(root, "generation_config.json");
            await JsonFile.WriteAsync(generationPath, new System.Text.Json.Nodes.JsonObject { ["guidance_scale"] = guidance }, cancellationToken).ConfigureAwait(false);
            files.Add(generationPath);
        }

        var indexPath = Path.Combine(root, "model_index.json");
        var index = ModelFolderConfigs.ModelIndex(sd);
        index["scheduler"] = JsonFile.Array("diffusers", architecture.SchedulerClassName);

        await JsonFile.WriteAsync(indexPath, index, cancellationToken).ConfigureAwait(false);
        files.Add(indexPath);
        return files;
    }

    internal static IReadOnlyDictionary<string, IReadOnlyList<ParameterSpec>> DescribeParameters(TrainedModelArchitecture architecture)
    {
        static IReadOnlyList<ParameterSpec> Specs(string component, Action<OnnxGraphBuilder> build)
        {
            var g = new OnnxGraphBuilder(component, FloatPrecision.Float32, weights: null, store: null);
            build(g);
            return g.Parameters;
        }

        return new Dictionary<string, IReadOnlyList<ParameterSpec>>(StringComparer.Ordinal)
        {
            ["text_encoder"] = Specs("text_encoder", g => CompactTextEncoderGraph.Build(g, architecture.TextEncoder)),
            ["unet"] = Specs("unet", g => UnetGraph.Build(g, architecture.Unet)),
            ["vae_decoder"] = Specs("vae_decoder", g => VaeGraph.BuildDecoder(g, architecture.Vae)),
            ["vae_encoder"] = Specs("vae_encoder", g => VaeGraph.BuildEncoder(g, architecture.Vae, VaeEncoderOutput.LatentSample)),
        };
    }

    /// <summary>The Stable Diffusion description the shared config writers take (no safety checker, VAE encoder on, epsilon).</summary>
    private static StableDiffusionArchitecture Describe(TrainedModelArchitecture architecture)
    {
        var text = architecture.TextEncoder;
        var clip = new ClipTextEncoderConfig(CompactTextEncoderConfig.ClipVocabularySize, text.MaxPositions, text.Hidden, text.Layers, text.Heads, text.Intermediate, TextActivation.QuickGelu, InputIdsInt64: false);
        return new StableDiffusionArchitecture(
            clip, architecture.Unet, architecture.Vae, SafetyChecker: null, IncludeVaeEncoder: true, VaeEncoderOutput.LatentSample, Fp16: false, "epsilon",
            ClipVocabularyConverter.StableDiffusion1PadToken, UnetExternalDataFileName: null);
    }
}
