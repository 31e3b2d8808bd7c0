using DiffusionFunctions.Diffusion.Families;
using DiffusionFunctions.Diffusion.Schedulers;
using DiffusionFunctions.Diffusion.Tokenization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>
/// A loaded Stable Diffusion model folder in the diffusers / Optimum ONNX layout: one session per sub-model (the family's
/// text encoders, UNet, VAE decoder, optional VAE encoder and safety checker), the tokenizers, the scheduler configuration,
/// the VAE settings and the detected <see cref="Families.ModelFamily"/> (SD 1.x/2.x, SDXL base, SDXL refiner). Expensive to create: load once per process, share (runs are thread-safe), dispose with the host.
/// </summary>
/// <remarks>
/// Everything the pipeline needs to know about the export is read from the sessions' metadata (tensor names, element types,
/// ranks), so SD 1.x/2.x, fp16 exports, every timestep form and inpainting UNets load without configuration. A folder that does
/// not fit fails here, with a <see cref="ModelFolderException"/> naming the file and tensor, never half-way through a job.
/// </remarks>
public sealed class StableDiffusionModel : IDisposable
{
    private readonly List<OnnxModelPart> _parts;

    private StableDiffusionModel(
        string directory,
        ModelFolderConfig config,
        DiffusionEngineOptions options,
        ExecutionProviderKind provider,
        List<OnnxModelPart> parts,
        ModelFamily family,
        IReadOnlyList<ClipTokenizer> tokenizers,
        SchedulerConfig schedulerConfig,
        ILogger logger)
    {
        Family = family;
        PipelineClassName = config.PipelineClassName;
        Tokenizers = tokenizers;
        var tokenizer = tokenizers[0];
        Directory = directory;
        Name = config.Name;
        Options = options;
        ExecutionProvider = provider;
        _parts = parts;
        Tokenizer = tokenizer;
        SchedulerConfig = schedulerConfig;
        VaeScalingFactor = config.VaeScalingFactor;
        VaeScaleFactor = config.VaeScaleFactor;
        TextEncoders = [.. family.TextEncoderParts.Select(p => new TextEncoderModel(Find(p)!))];
        TextEncoder = TextEncoders[0];
        Unet = new UnetModel(Find("unet")!);
        VaeDecoder = new VaeDecoderModel(Find("vae_decoder")!);
        VaeEncoder = Find("vae_encoder") is { } encoder ? new VaeEncoderModel(encoder) : null;
        SafetyChecker = Find("safety_checker") is { } checker ? new SafetyCheckerModel(checker, FeatureExtractorConfig.Read(directory)) : null;
        DefaultGuidanceScale = config.DefaultGuidanceScale;
        DefaultGuidanceRescale = config.DefaultGuidanceRescale;
        DefaultSteps = config.DefaultSteps ?? Pipeline.GenerationSettings.DefaultSteps;
        var sampleSize = config.UnetSampleSize ?? 64;
        DefaultWidth = DefaultHeight = sampleSize * VaeScaleFactor;
        family.Validate(this);
        VaeForceUpcast = family.HonoursForceUpcast && config.VaeForceUpcast;
        if (VaeForceUpcast && VaeDecoder.LatentType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float16)
        {
            logger.LogWarning(
                "vae_decoder/model.onnx takes float16 '{Input}' but vae_decoder/config.json sets force_upcast: the SDXL VAE overflows in float16. Export the VAE in float32 or use an fp16-fix VAE (force_upcast false); decodes that overflow fail instead of returning black images.",
                VaeDecoderModel.LatentSampleName);
        }
    }

    /// <summary>The model family the folder was detected as (SD 1.x/2.x, SDXL base, SDXL refiner): how the pipeline conditions the UNet.</summary>
    public ModelFamily Family { get; }

    /// <summary>model_index.json's <c>_class_name</c>, if any.</summary>
    public string? PipelineClassName { get; }

    /// <summary>Every text encoder the family uses, in the order their states are concatenated (<see cref="TextEncoder"/> is the first).</summary>
    public IReadOnlyList<TextEncoderModel> TextEncoders { get; }

    /// <summary>The tokenizer of each text encoder (<see cref="Tokenizer"/> is the first).</summary>
    public IReadOnlyList<ClipTokenizer> Tokenizers { get; }

    /// <summary>The steps a run takes when it names none: <c>num_inference_steps</c> from <c>generation_config.json</c>, else 25.</summary>
    public int DefaultSteps { get; }

    /// <summary>
    /// Whether the VAE must not decode in float16 (SDXL with <c>force_upcast</c>): latents go to the decoder in float32 when it
    /// takes float32; an fp16 decoder is checked for overflow after each decode.
    /// </summary>
    public bool VaeForceUpcast { get; }

    /// <summary>A short description of what was detected, for <c>dfx model inspect</c>: family, guidance embedding, few-step defaults.</summary>
    public string FamilyDescription
    {
        get
        {
            var traits = new List<string> { Family.Name };
            if (Unet.HasGuidanceEmbedding)
            {
                traits.Add("lcm (guidance embedding timestep_cond)");
            }
            else if (SchedulerConfig.ClassName == "LCMScheduler")
            {
                traits.Add("lcm scheduler");
            }

            if (DefaultGuidanceScale <= 1 && !Unet.HasGuidanceEmbedding)
            {
                traits.Add("few-step (no classifier-free guidance by default)");
            }

            return string.Join(", ", traits);
        }
    }

    /// <summary>The folder the model was loaded from.</summary>
    public string Directory { get; }

    /// <summary>The model's name (model_index.json <c>_name_or_path</c>, else the folder name).</summary>
    public string Name { get; }

    /// <summary>The options the sessions were created with.</summary>
    public DiffusionEngineOptions Options { get; }

    /// <summary>The execution provider the sessions actually run on (CUDA or CPU).</summary>
    public ExecutionProviderKind ExecutionProvider { get; }

    /// <summary>Whether the UNet loop uses IOBinding (<see cref="DiffusionEngineOptions.UseIoBinding"/>, defaulting to "on CUDA").</summary>
    public bool UsesIoBinding => Options.UseIoBinding ?? ExecutionProvider == ExecutionProviderKind.Cuda;

    /// <summary>Every loaded sub-model, in folder order.</summary>
    public IReadOnlyList<OnnxModelPart> Parts => _parts;

    /// <summary>The first CLIP text encoder of the family (<c>text_encoder</c>; the refiner's <c>text_encoder_2</c>).</summary>
    public TextEncoderModel TextEncoder { get; }

    /// <summary>The UNet.</summary>
    public UnetModel Unet { get; }

    /// <summary>The VAE decoder.</summary>
    public VaeDecoderModel VaeDecoder { get; }

    /// <summary>The VAE encoder, needed for img2img and inpainting; <see langword="null"/> when the folder has none.</summary>
    public VaeEncoderModel? VaeEncoder { get; }

    /// <summary>The safety checker; <see langword="null"/> when the folder has none.</summary>
    public SafetyCheckerModel? SafetyChecker { get; }

    /// <summary>The folder's first CLIP tokenizer (<c>tokenizer/</c>; the refiner's <c>tokenizer_2/</c>).</summary>
    public ClipTokenizer Tokenizer { get; }

    /// <summary>The folder's <c>scheduler/scheduler_config.json</c>.</summary>
    public SchedulerConfig SchedulerConfig { get; }

    /// <summary>The VAE scaling factor (latents are divided by it before decoding); 0.18215 unless the config says otherwise.</summary>
    public float VaeScalingFactor { get; }

    /// <summary>Pixels per latent cell (8 for Stable Diffusion).</summary>
    public int VaeScaleFactor { get; }

    /// <summary>Default image width: unet sample_size × VAE scale factor (512 for SD 1.5).</summary>
    public int DefaultWidth { get; }

    /// <summary>Default image height.</summary>
    public int DefaultHeight { get; }

    /// <summary>
    /// The guidance scale used when a run gives none: <c>guidance_scale</c> from the folder's optional
    /// <c>generation_config.json</c>, else diffusers' 7.5.
    /// </summary>
    public double DefaultGuidanceScale { get; }

    /// <summary>
    /// The sampler a run uses when it names none: the one the folder's <c>scheduler_config.json</c> names (its
    /// <c>_class_name</c>), else "euler" for a class no sampler here implements.
    /// </summary>
    public string DefaultSchedulerName => Pipeline.SchedulerSelection.DefaultName(SchedulerConfig);

    /// <summary>The guidance rescale used when a run gives none: <c>guidance_rescale</c> from <c>generation_config.json</c>, else 0.</summary>
    public double DefaultGuidanceRescale { get; }

    /// <summary>Loads the model folder at <paramref name="directory"/>.</summary>
    /// <param name="directory">The model folder.</param>
    /// <param name="options">Session options; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Receives the one CUDA fallback warning; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Checked between sub-models.</param>
    /// <exception cref="ModelFolderException">The folder does not fit the layout; the message names the file and tensor.</exception>
    public static StableDiffusionModel Load(string directory, DiffusionEngineOptions? options = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new DiffusionEngineOptions();
        options.Validate();
        logger ??= NullLogger.Instance;
        if (!System.IO.Directory.Exists(directory))
        {
            throw new ModelFolderException($"The model folder {directory} does not exist.");
        }

        var config = ModelFolderConfig.Read(directory);
        var family = ModelFamilyDetector.Detect(directory, config);
        var tokenizers = family.TokenizerFolders.Select(folder => LoadTokenizer(directory, folder)).ToList();
        var schedulerConfig = LoadSchedulerConfig(directory);
        var factory = SessionOptionsFactory.Create(options, logger);
        var parts = new List<OnnxModelPart>();
        try
        {
            var components = family.TextEncoderParts.Select(p => (p, true))
                .Concat([("unet", true), ("vae_decoder", true), ("vae_encoder", false), ("safety_checker", false)]);
            foreach (var (name, required) in components)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var path = Path.Combine(directory, name, "model.onnx");
                var mustExist = required || config.DeclaredParts.Contains(name);
                if (!mustExist && !File.Exists(path))
                {
                    continue;
                }

                parts.Add(LoadPart(factory, name, path));
            }

            return new StableDiffusionModel(directory, config, options, factory.ActiveProvider, parts, family, tokenizers, schedulerConfig, logger);
        }
        catch
        {
            foreach (var part in parts)
            {
                part.Dispose();
            }

            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var part in _parts)
        {
            part.Dispose();
        }
    }

    private OnnxModelPart? Find(string name) => _parts.FirstOrDefault(p => p.PartName == name);

    // CUDA can pass the provider probe and still fail on the first session (cuDNN missing): fall back once, then stay on CPU.
    private static OnnxModelPart LoadPart(SessionOptionsFactory factory, string name, string path)
    {
        var weightBytes = PartBytes(path);
        if (factory.ActiveProvider == ExecutionProviderKind.Cuda && File.Exists(path))
        {
            try
            {
                using var cudaOptions = factory.CreateSessionOptions(weightBytes);
                return OnnxModelPart.Load(name, path, cudaOptions);
            }
            catch (ModelFolderException ex) when (ex.InnerException is OnnxRuntimeException)
            {
                factory.FallBackToCpu(ex.InnerException);
            }
        }

        using var sessionOptions = factory.CreateSessionOptions(weightBytes);
        return OnnxModelPart.Load(name, path, sessionOptions);
    }

    // A part's size is its folder's: model.onnx plus any external weight files beside it (SD exports keep the UNet's
    // weights in model.onnx_data or weights.pb). 0 when the part is missing (loading then reports it).
    private static long PartBytes(string path)
    {
        var folder = Path.GetDirectoryName(path);
        return folder is not null && System.IO.Directory.Exists(folder)
            ? new DirectoryInfo(folder).EnumerateFiles().Sum(f => f.Length)
            : 0;
    }

    private static ClipTokenizer LoadTokenizer(string directory, string folder)
    {
        var tokenizerDirectory = Path.Combine(directory, folder);
        if (!System.IO.Directory.Exists(tokenizerDirectory))
        {
            throw new ModelFolderException($"{folder}/ is missing in {directory}.");
        }

        try
        {
            return ClipTokenizer.FromModelFolder(tokenizerDirectory);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or FormatException or ArgumentException or System.Text.Json.JsonException or UnauthorizedAccessException)
        {
            throw new ModelFolderException($"{folder}/ could not be loaded: {ex.Message}", ex);
        }
    }

    private static SchedulerConfig LoadSchedulerConfig(string directory)
    {
        var path = Path.Combine(directory, "scheduler", "scheduler_config.json");
        if (!File.Exists(path))
        {
            throw new ModelFolderException($"scheduler/scheduler_config.json is missing in {directory}.");
        }

        try
        {
            return SchedulerConfig.Load(path);
        }
        catch (SchedulerConfigException ex)
        {
            throw new ModelFolderException($"scheduler/scheduler_config.json: {ex.Message}", ex);
        }
    }
}
