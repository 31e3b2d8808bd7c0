using System.Globalization;
using DiffusionFunctions.Diffusion.Tokenization;
using DiffusionFunctions.ModelGeneration.Architectures;
using DiffusionFunctions.ModelGeneration.Folder;
using DiffusionFunctions.ModelGeneration.Onnx;
using DiffusionFunctions.ModelGeneration.Weights;

namespace DiffusionFunctions.ModelGeneration;

/// <summary>
/// Writes a complete Stable Diffusion model folder in the diffusers / Optimum ONNX layout from a seed:
/// <c>model_index.json</c>, <c>text_encoder/</c>, <c>unet/</c>, <c>vae_decoder/</c>, optional <c>vae_encoder/</c> and
/// <c>safety_checker/</c> (each <c>model.onnx</c> + <c>config.json</c>), <c>tokenizer/</c> and
/// <c>scheduler/scheduler_config.json</c>. Tensor names, element types and dynamic axes are those of Optimum's SD 1.5
/// export; see <see cref="ModelVariant"/> for the export differences it can reproduce.
/// </summary>
public static class StableDiffusionModelGenerator
{
    /// <summary>The component folder names, in writing order.</summary>
    public static IReadOnlyList<string> ComponentNames { get; } = ["text_encoder", "text_encoder_2", "unet", "vae_decoder", "vae_encoder", "safety_checker"];

    private const long MaxInlineBytes = 1_900_000_000;

    /// <summary>Writes a folder with seeded random weights.</summary>
    /// <param name="outputDirectory">The folder to write; created if missing, must be empty.</param>
    /// <param name="preset">The architecture sizes.</param>
    /// <param name="variant">The export variant.</param>
    /// <param name="seed">The weight seed: the same seed writes byte-identical files.</param>
    /// <param name="progress">Receives one line per finished part.</param>
    /// <param name="cancellationToken">Checked between tensors.</param>
    public static Task<ModelGenerationSummary> WriteAsync(
        string outputDirectory,
        ModelPreset preset,
        ModelVariant variant,
        int seed,
        IProgress<string>? progress = null,
        CancellationToken cancellationToken = default) =>
        WriteAsync(new ModelGenerationRequest(outputDirectory, preset, variant, seed), progress, cancellationToken);

    /// <summary>Writes the folder described by <paramref name="request"/>.</summary>
    public static async Task<ModelGenerationSummary> WriteAsync(ModelGenerationRequest request, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.OutputDirectory);
        ArgumentNullException.ThrowIfNull(request.Variant);
        var architecture = request.Architecture ?? StableDiffusionArchitecture.Resolve(request.Preset, request.Variant);
        var fileName = architecture.UnetExternalDataFileName;
        if (fileName is not null && (string.IsNullOrWhiteSpace(fileName) || fileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || fileName == "model.onnx"))
        {
            throw new ArgumentException($"The external weights file name '{fileName}' must be a plain file name other than model.onnx.", nameof(request));
        }

        // Everything that can be checked up front is, so bad input never leaves a half-written folder.
        var vocabularyPath = request.ClipBpeVocabularyPath ?? ClipVocabularyLocator.Find();
        if (!File.Exists(vocabularyPath))
        {
            throw new FileNotFoundException($"The CLIP BPE merge list '{vocabularyPath}' does not exist.", vocabularyPath);
        }

        var root = Path.GetFullPath(request.OutputDirectory);
        if (Directory.Exists(root) && !request.Overwrite && Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new IOException($"The output folder '{root}' is not empty; choose an empty folder or set Overwrite.");
        }

        Directory.CreateDirectory(root);
        var weights = request.Weights ?? new SeededRandomWeightProvider(request.Seed);
        var precision = architecture.Fp16 ? FloatPrecision.Float16 : FloatPrecision.Float32;
        var components = new List<GeneratedComponent>();
        var files = new List<string>();

        async Task AddComponent(string name, string? externalFile, Action<OnnxGraphBuilder> build, System.Text.Json.Nodes.JsonObject? config)
        {
            var component = await Task.Run(() => WriteComponent(root, name, precision, weights, externalFile, build, cancellationToken), cancellationToken).ConfigureAwait(false);
            components.Add(component);
            files.Add(component.ModelPath);
            if (component.ExternalDataPath is not null)
            {
                files.Add(component.ExternalDataPath);
            }

            if (config is not null)
            {
                var configPath = Path.Combine(root, name, "config.json");
                await JsonFile.WriteAsync(configPath, config, cancellationToken).ConfigureAwait(false);
                files.Add(configPath);
            }

            progress?.Report(string.Create(
                CultureInfo.InvariantCulture,
                $"{name}: {component.ParameterCount:N0} parameters, {component.ModelBytes + component.ExternalDataBytes:N0} bytes"));
        }

        // 1. The ONNX components, each with its config.json (the safety checker has none; its image processor config
        //    goes to feature_extractor/).
        foreach (var (name, build) in Builders(architecture))
        {
            var config = name switch
            {
                "text_encoder" => ModelFolderConfigs.TextEncoderConfig(architecture.TextEncoder, architecture.Fp16),
                "text_encoder_2" => ModelFolderConfigs.TextEncoderConfig(architecture.TextEncoder2!, architecture.Fp16),
                "unet" => ModelFolderConfigs.UnetConfig(architecture.Unet),
                "vae_decoder" or "vae_encoder" => ModelFolderConfigs.VaeConfig(architecture.Vae),
                _ => null,
            };
            var external = name switch
            {
                "unet" => architecture.UnetExternalDataFileName,
                "text_encoder_2" => architecture.TextEncoder2ExternalDataFileName,
                _ => null,
            };
            await AddComponent(name, external, build, config).ConfigureAwait(false);
        }

        if (architecture.SafetyChecker is not null)
        {
            var featureExtractor = Path.Combine(root, "feature_extractor", "preprocessor_config.json");
            Directory.CreateDirectory(Path.GetDirectoryName(featureExtractor)!);
            await JsonFile.WriteAsync(featureExtractor, ModelFolderConfigs.FeatureExtractorConfig(), cancellationToken).ConfigureAwait(false);
            files.Add(featureExtractor);
        }

        // 2. Scheduler, tokenizer and the index.
        var schedulerPath = Path.Combine(root, "scheduler", "scheduler_config.json");
        Directory.CreateDirectory(Path.GetDirectoryName(schedulerPath)!);
        await JsonFile.WriteAsync(schedulerPath, ModelFolderConfigs.SchedulerConfigFor(architecture), cancellationToken).ConfigureAwait(false);
        files.Add(schedulerPath);

        if (architecture.IncludeTextEncoder)
        {
            files.AddRange(await ClipVocabularyConverter.WriteHuggingFaceFilesAsync(
                vocabularyPath, Path.Combine(root, "tokenizer"), architecture.PadToken, cancellationToken: cancellationToken).ConfigureAwait(false));
            progress?.Report("tokenizer: vocab.json, merges.txt, tokenizer_config.json, special_tokens_map.json");
        }

        if (architecture.TextEncoder2 is not null)
        {
            // SDXL's tokenizer_2 (OpenCLIP bigG's) pads with "!" where tokenizer/ pads with the end token.
            files.AddRange(await ClipVocabularyConverter.WriteHuggingFaceFilesAsync(
                vocabularyPath, Path.Combine(root, "tokenizer_2"), ClipVocabularyConverter.StableDiffusion2PadToken, cancellationToken: cancellationToken).ConfigureAwait(false));
            progress?.Report("tokenizer_2: vocab.json, merges.txt, tokenizer_config.json, special_tokens_map.json");
        }

        if (architecture.DefaultGuidanceScale is not null || architecture.DefaultSteps is not null)
        {
            var generation = new System.Text.Json.Nodes.JsonObject();
            if (architecture.DefaultGuidanceScale is { } guidance)
            {
                generation["guidance_scale"] = guidance;
            }

            if (architecture.DefaultSteps is { } steps)
            {
                generation["num_inference_steps"] = steps;
            }

            var generationPath = Path.Combine(root, "generation_config.json");
            await JsonFile.WriteAsync(generationPath, generation, cancellationToken).ConfigureAwait(false);
            files.Add(generationPath);
        }

        var indexPath = Path.Combine(root, "model_index.json");
        await JsonFile.WriteAsync(indexPath, ModelFolderConfigs.ModelIndex(architecture), cancellationToken).ConfigureAwait(false);
        files.Add(indexPath);

        var total = files.Sum(f => new FileInfo(f).Length);
        return new ModelGenerationSummary(root, request.Preset, request.Variant, request.Seed, components, files, total);
    }

    /// <summary>
    /// Parameter counts per component computed from the builders' weight shapes alone (nothing is materialised), e.g.
    /// 859,520,964 for the <see cref="ModelPreset.Sd15"/> UNet.
    /// </summary>
    public static IReadOnlyDictionary<string, long> CountParameters(ModelPreset preset, ModelVariant variant) =>
        CountParameters(StableDiffusionArchitecture.Resolve(preset, variant));

    /// <summary>Parameter counts per component of <paramref name="architecture"/>, from shapes alone.</summary>
    public static IReadOnlyDictionary<string, long> CountParameters(StableDiffusionArchitecture architecture) =>
        DescribeParameters(architecture).ToDictionary(p => p.Key, p => p.Value.Sum(s => s.ElementCount), StringComparer.Ordinal);

    /// <summary>
    /// Every parameter each component's builder declares (state-dict name, PyTorch shape, initialisation), in build
    /// order, without materialising any: the contract an <see cref="IWeightProvider"/> of trained weights must meet.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<ParameterSpec>> DescribeParameters(StableDiffusionArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var result = new Dictionary<string, IReadOnlyList<ParameterSpec>>(StringComparer.Ordinal);
        foreach (var (name, build) in Builders(architecture))
        {
            var g = new OnnxGraphBuilder(name, FloatPrecision.Float32, weights: null, store: null);
            build(g);
            result[name] = g.Parameters;
        }

        return result;
    }

    private static IEnumerable<(string Name, Action<OnnxGraphBuilder> Build)> Builders(StableDiffusionArchitecture architecture)
    {
        if (architecture.IncludeTextEncoder)
        {
            yield return ("text_encoder", g => ClipTextEncoderGraph.Build(g, architecture.TextEncoder));
        }

        if (architecture.TextEncoder2 is { } text2)
        {
            yield return ("text_encoder_2", g => ClipTextEncoderGraph.Build(g, text2));
        }

        yield return ("unet", g => UnetGraph.Build(g, architecture.Unet));
        yield return ("vae_decoder", g => VaeGraph.BuildDecoder(g, architecture.Vae));
        if (architecture.IncludeVaeEncoder)
        {
            yield return ("vae_encoder", g => VaeGraph.BuildEncoder(g, architecture.Vae, architecture.VaeEncoderOutput));
        }

        if (architecture.SafetyChecker is { } safety)
        {
            yield return ("safety_checker", g => SafetyCheckerGraph.Build(g, safety));
        }
    }

    private static GeneratedComponent WriteComponent(
        string root,
        string name,
        FloatPrecision precision,
        IWeightProvider weights,
        string? externalFile,
        Action<OnnxGraphBuilder> build,
        CancellationToken cancellationToken)
    {
        var directory = Path.Combine(root, name);
        Directory.CreateDirectory(directory);
        var modelPath = Path.Combine(directory, "model.onnx");
        OnnxGraphBuilder g;
        long externalBytes = 0;
        if (externalFile is null)
        {
            g = new OnnxGraphBuilder(name, precision, weights, new InlineInitializerStore(), cancellationToken);
            build(g);
            var bytesPerValue = precision == FloatPrecision.Float16 ? 2 : 4;
            if (g.ParameterCount * bytesPerValue > MaxInlineBytes)
            {
                throw new InvalidOperationException($"{name} has {g.ParameterCount:N0} parameters, too many for one protobuf; write it with external weights.");
            }
        }
        else
        {
            using var store = new ExternalDataInitializerStore(directory, externalFile);
            g = new OnnxGraphBuilder(name, precision, weights, store, cancellationToken);
            build(g);
            externalBytes = store.ExternalBytes;
        }

        var modelBytes = OnnxModelWriter.Write(g.Graph, modelPath);
        return new GeneratedComponent(
            name,
            modelPath,
            externalFile is null ? null : Path.Combine(directory, externalFile),
            g.ParameterCount,
            modelBytes,
            externalBytes);
    }
}
