using System.Diagnostics;
using System.Globalization;
using DiffusionFunctions.Diffusion.Families;
using DiffusionFunctions.Diffusion.Imaging;
using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Prompting;
using DiffusionFunctions.Diffusion.Randomness;
using DiffusionFunctions.Diffusion.Schedulers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DiffusionFunctions.Diffusion.Pipeline;

/// <summary>
/// Stable Diffusion text-to-image, image-to-image and inpainting over a loaded <see cref="StableDiffusionModel"/>, in the
/// stage order of diffusers' <c>StableDiffusionPipeline.__call__</c>: size defaults, <c>check_inputs</c>,
/// <c>encode_prompt</c>, timesteps, <c>prepare_latents</c>, the denoising loop, VAE decode, safety checker, PNG.
/// Every model family (SD 1.x/2.x, SDXL base and refiner, Turbo, LCM) runs here: the model's <see cref="Families.ModelFamily"/>
/// encodes the prompts and supplies the added UNet inputs (see <c>Families/README.md</c>).
/// Stateless between runs and safe to share; each run owns its schedulers, generators and buffers.
/// </summary>
/// <remarks>
/// Determinism: image <c>i</c> of a run draws all its randomness (initial noise, VAE sampling, ancestral noise) from its own
/// <see cref="TorchGenerator"/> seeded with <c>Seed + i</c>, as diffusers does when given one CPU generator per image. The same
/// settings on the same execution provider give byte-identical pixels.
/// </remarks>
public sealed partial class StableDiffusionPipeline
{
    /// <summary>Largest accepted step count.</summary>
    public const int MaxSteps = 500;

    /// <summary>
    /// The denoising steps an img2img or inpainting run takes: diffusers' <c>get_timesteps</c> keeps
    /// <c>min(int(steps × strength), steps)</c> of the schedule, which is 0 (an empty schedule) when the product is below 1.
    /// The pipeline refuses such settings with an <see cref="ArgumentException"/> naming both; callers can check first.
    /// </summary>
    public static int DenoisingSteps(int steps, double strength) =>
        SchedulerMath.StrengthKeptSteps(steps, (float)strength);

    /// <summary>Largest accepted image count per run.</summary>
    public const int MaxCount = 16;

    /// <summary>Smallest and largest accepted side in pixels.</summary>
    public const int MinSide = 64, MaxSide = 2048;

    private readonly ILogger _logger;

    /// <summary>Creates a pipeline over <paramref name="model"/> (not owned: dispose the model with the host).</summary>
    public StableDiffusionPipeline(StableDiffusionModel model, ILogger<StableDiffusionPipeline>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// When set, receives every UNet call's inputs (name → shape and values) before the call: a recording hook for tests and
    /// diagnostics (what the family fed: batch size, <c>text_embeds</c>, <c>time_ids</c>, <c>timestep_cond</c>). Null by default.
    /// </summary>
    public Action<IReadOnlyDictionary<string, UnetInputRecord>>? UnetInputObserver { get; init; }

    /// <summary>The model the pipeline runs.</summary>
    public StableDiffusionModel Model { get; }

    /// <summary>Runs one generation on a thread-pool thread.</summary>
    /// <param name="settings">What to generate.</param>
    /// <param name="progress">Receives a report after every denoising step and every decoded image, synchronously on the pipeline's thread.</param>
    /// <param name="cancellationToken">Checked before every step and every decode; also terminates the ONNX Runtime run in flight.</param>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; no partial result is returned.</exception>
    public Task<GenerationResult> RunAsync(GenerationSettings settings, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Task.Run(() => Run(settings, progress, cancellationToken), cancellationToken);
    }

    private GenerationResult Run(GenerationSettings settings, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();

        // 0. Default size from the UNet config; default sampler from the folder's scheduler config; default guidance from
        // the folder's generation_config.json (7.5 without one).
        var guidanceScale = settings.GuidanceScale ?? Model.DefaultGuidanceScale;
        var guidanceRescale = settings.GuidanceRescale ?? Model.DefaultGuidanceRescale;
        var width = settings.Width ?? Model.DefaultWidth;
        var height = settings.Height ?? Model.DefaultHeight;
        var schedulerName = settings.Scheduler is { } requested
            ? SchedulerSelection.Canonical(requested) ?? requested
            : SchedulerSelection.DefaultName(Model.SchedulerConfig);

        // 1. check_inputs
        var mode = CheckInputs(settings, guidanceScale, guidanceRescale, width, height, schedulerName);
        var count = settings.Count;
        var latentWidth = width / Model.VaeScaleFactor;
        var latentHeight = height / Model.VaeScaleFactor;
        var latentLength = 4 * latentWidth * latentHeight;

        using var scope = new OrtRunScope(cancellationToken);

        // 3. encode_prompt: each distinct text of the prompt schedules once (classifier-free guidance batches the negative
        // prompt first, as diffusers' torch.cat([neg, pos])). A UNet with a guidance embedding (LCM) takes the scale as an
        // input instead, and guidance 0-1 (SD-Turbo, SDXL-Turbo) skips the unconditional batch: half the UNet work.
        var guidance = guidanceScale > 1.0 && !Model.Unet.HasGuidanceEmbedding;
        PromptConditioning conditioning;
        using (PipelineTelemetry.StartPhase(PipelineTelemetry.TextEncoderPhase))
        {
            conditioning = PromptConditioning.Create(Model, scope, settings, guidance);
        }


        // 4. timesteps: one scheduler per image (stateful, and stochastic samplers draw from that image's generator).
        var schedulers = new IScheduler[count];
        var startIndex = 0;
        for (var i = 0; i < count; i++)
        {
            schedulers[i] = SchedulerSelection.Create(schedulerName, Model.SchedulerConfig);
            if (mode == GenerationMode.TextToImage)
            {
                schedulers[i].SetTimesteps(settings.Steps);
            }
            else
            {
                startIndex = schedulers[i].SetTimestepsForStrength(settings.Steps, (float)settings.Strength);
            }
        }

        var timesteps = schedulers[0].Timesteps.Skip(startIndex).ToArray();
        if (timesteps.Length == 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Strength {settings.Strength} with {settings.Steps} steps leaves no denoising step; raise the strength or the steps."));
        }

        // 5. prepare_latents
        var generators = new TorchGenerator[count];
        for (var i = 0; i < count; i++)
        {
            generators[i] = new TorchGenerator(unchecked(settings.Seed + i));
        }

        var state = PrepareLatents(scope, settings, mode, width, height, latentWidth, latentHeight, schedulers, generators, timesteps[0]);

        // 7. Denoising loop.
        var batch = guidance ? 2 * count : count;
        var inChannels = Model.Unet.InChannels;
        var planeLength = latentWidth * latentHeight;
        var modelInput = new float[batch * inChannels * planeLength];
        var scaled = new float[latentLength];
        var noisePrediction = new float[batch * latentLength];
        var guided = new float[latentLength];
        var stepsRun = 0;
        var textStates = conditioning.StatesAt(0);
        var added = AddedInputs(conditioning, count, guidance, guidanceScale, width, height);
        var unetBatch = 0;
        var unetCalls = 0;
        using (var denoiseSpan = PipelineTelemetry.StartPhase(PipelineTelemetry.DenoisePhase)?.SetTag("diffusion.steps", timesteps.Length).SetTag("diffusion.batch", batch).SetTag("diffusion.family", Model.Family.Name))
        using (var unet = new UnetStepRunner(Model.Unet, batch, latentHeight, latentWidth, textStates, conditioning.SequenceLength, conditioning.HiddenSize, added, Model.UsesIoBinding) { Observer = UnetInputObserver })
        {
            unetBatch = unet.Batch;
            for (var k = 0; k < timesteps.Length; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var t = timesteps[k];
                if (conditioning.StatesAt(k) is var stepStates && !ReferenceEquals(stepStates, textStates))
                {
                    // Prompt editing or alternation switched a text: the states were encoded up front, only the input changes.
                    textStates = stepStates;
                    unet.SetTextStates(textStates, conditioning.PooledAt(k));
                }

                for (var i = 0; i < count; i++)
                {
                    schedulers[i].ScaleModelInput(state.Latents[i], t, scaled);
                    for (var copy = 0; copy < (guidance ? 2 : 1); copy++)
                    {
                        var row = (copy * count) + i;
                        var destination = modelInput.AsSpan(row * inChannels * planeLength, inChannels * planeLength);
                        scaled.CopyTo(destination);
                        if (inChannels == 9)
                        {
                            state.Mask!.LatentMask.CopyTo(destination.Slice(latentLength, planeLength));
                            state.MaskedImageLatents![i].CopyTo(destination[(latentLength + planeLength)..]);
                        }
                    }
                }

                unet.Run(scope, modelInput, t, noisePrediction);

                for (var i = 0; i < count; i++)
                {
                    var conditional = noisePrediction.AsSpan((guidance ? count + i : i) * latentLength, latentLength);
                    if (guidance)
                    {
                        var unconditional = noisePrediction.AsSpan(i * latentLength, latentLength);
                        var scale = (float)guidanceScale;
                        for (var j = 0; j < latentLength; j++)
                        {
                            guided[j] = unconditional[j] + (scale * (conditional[j] - unconditional[j]));
                        }

                        if (guidanceRescale > 0)
                        {
                            GuidanceRescale.Apply(guided, conditional, (float)guidanceRescale);
                        }
                    }
                    else
                    {
                        conditional.CopyTo(guided);
                    }

                    schedulers[i].Step(guided, t, state.Latents[i], state.Latents[i], generators[i]);
                    if (mode == GenerationMode.Inpainting && inChannels == 4)
                    {
                        BlendKnownRegion(state, i, schedulers[i], k + 1 < timesteps.Length ? timesteps[k + 1] : null);
                    }
                }

                stepsRun++;
                progress?.Report(new GenerationProgress(GenerationStage.Denoising, stepsRun, timesteps.Length, 0, count, clock.Elapsed));
            }

            unetCalls = unet.Calls;
        }

        // 8. VAE decode (one latent at a time), safety checker, PNG.
        using var decodeSpan = PipelineTelemetry.StartPhase(PipelineTelemetry.DecodePhase)?.SetTag("diffusion.images", count);
        var images = new List<GeneratedImage>();
        var withheld = new List<int>();
        var modelName = settings.ModelName ?? Model.Name;
        var decodeInput = new float[latentLength];
        for (var i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var latents = state.Latents[i];
            for (var j = 0; j < latentLength; j++)
            {
                decodeInput[j] = latents[j] / Model.VaeScalingFactor;
            }

            var decoded = Model.VaeDecoder.Decode(scope, decodeInput, latentHeight, latentWidth);
            if (Model.VaeForceUpcast && Model.VaeDecoder.LatentType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float16 && !AllFinite(decoded))
            {
                throw new InvalidOperationException(
                    $"The float16 VAE decoder of '{Model.Name}' overflowed (vae_decoder/config.json sets force_upcast); export vae_decoder in float32 or use an fp16-fix VAE.");
            }

            var unit = ImageTensors.DecodedToNhwcUnit(decoded, width, height);
            var image = ImageTensors.NhwcUnitToImage(unit, width, height);
            progress?.Report(new GenerationProgress(GenerationStage.Decoding, stepsRun, timesteps.Length, i + 1, count, clock.Elapsed));

            var seed = unchecked(settings.Seed + i);
            if (Model.SafetyChecker is { } checker && checker.Check(scope, image, unit, height, width))
            {
                withheld.Add(i);
                LogWithheld(_logger, i, seed);
                continue;
            }

            var sampler = WebUiSamplerNames.FromScheduler(schedulerName);
            var parameters = new WebUiParameters
            {
                Prompt = settings.Prompt,
                NegativePrompt = settings.NegativePrompt,
                Steps = settings.Steps,
                Sampler = sampler.Name,
                ScheduleType = sampler.ScheduleType,
                EtaDdim = sampler.EtaDdim,
                CfgScale = guidanceScale,
                Seed = seed,
                Width = width,
                Height = height,
                Model = modelName,
                DenoisingStrength = mode == GenerationMode.TextToImage ? null : settings.Strength,
            };
            images.Add(new GeneratedImage(i, seed, image, PngImageEncoder.Encode(image, parameters), parameters));
        }

        return new GenerationResult
        {
            Images = images,
            WithheldIndices = withheld,
            Mode = mode,
            SchedulerName = schedulerName,
            StepsRun = stepsRun,
            Width = width,
            Height = height,
            PromptTokenCount = conditioning.PromptTokenCount,
            EncodedPromptTexts = conditioning.EncodedTextCount,
            Warnings = conditioning.Warnings,
            Elapsed = clock.Elapsed,
            OnnxRuntimeTime = scope.OrtTime,
            UnetBatchSize = unetBatch,
            UnetCalls = unetCalls,
            Family = Model.Family.Name,
        };
    }

    // The family's added UNet inputs, batched like the text states: SDXL's pooled text_embeds and time_ids (negative rows
    // first under guidance), and the LCM guidance embedding (timestep_cond) when the UNet has that input.
    private UnetAddedInputs AddedInputs(PromptConditioning conditioning, int count, bool guidance, double guidanceScale, int width, int height)
    {
        float[]? timeIds = null;
        if (Model.Unet.HasAddedConditioning)
        {
            var rows = new List<float>();
            for (var copy = 0; copy < (guidance ? 2 : 1); copy++)
            {
                var row = Model.Family.TimeIds(width, height, negative: guidance && copy == 0)
                    ?? throw new InvalidOperationException($"The {Model.Family.Name} family has no time_ids for unet/model.onnx.");
                for (var i = 0; i < count; i++)
                {
                    rows.AddRange(row);
                }
            }

            timeIds = [.. rows];
        }

        float[]? timestepCond = null;
        if (Model.Unet.TimestepCond is { } cond)
        {
            var embedding = GuidanceEmbedding.Compute(guidanceScale, cond.FixedDimension(1)!.Value);
            timestepCond = new float[count * embedding.Length];
            for (var i = 0; i < count; i++)
            {
                embedding.CopyTo(timestepCond, i * embedding.Length);
            }
        }

        return new UnetAddedInputs(Model.Unet.HasAddedConditioning ? conditioning.PooledAt(0) : null, timeIds, timestepCond);
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var v in values)
        {
            if (!float.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    private GenerationMode CheckInputs(GenerationSettings settings, double guidanceScale, double guidanceRescale, int width, int height, string schedulerName)
    {
        if (settings.Prompt is null)
        {
            throw new ArgumentException("GenerationSettings.Prompt is required.", nameof(settings));
        }

        if (settings.NegativePrompt is null)
        {
            throw new ArgumentException("GenerationSettings.NegativePrompt must not be null; use \"\" for none.", nameof(settings));
        }

        Check(!ComposableDiffusionSyntax.IsUsedIn(settings.Prompt), "GenerationSettings.Prompt " + ComposableDiffusionSyntax.RefusalMessage);
        Check(settings.Steps is >= 1 and <= MaxSteps, $"GenerationSettings.Steps must be 1-{MaxSteps}, not {settings.Steps}.");
        Check(double.IsFinite(guidanceScale) && guidanceScale is >= 0 and <= 50,
            $"GenerationSettings.GuidanceScale must be 0-50, not {guidanceScale}.");
        Check(double.IsFinite(guidanceRescale) && guidanceRescale is >= 0 and <= 1,
            $"GenerationSettings.GuidanceRescale must be 0-1, not {guidanceRescale}.");
        Check(settings.Count is >= 1 and <= MaxCount, $"GenerationSettings.Count must be 1-{MaxCount}, not {settings.Count}.");
        foreach (var (name, value) in new[] { ("Width", width), ("Height", height) })
        {
            Check(value is >= MinSide and <= MaxSide && value % 8 == 0 && value % Model.VaeScaleFactor == 0,
                $"GenerationSettings.{name} must be a multiple of 8 from {MinSide} to {MaxSide}, not {value}.");
        }

        if (SchedulerSelection.Canonical(schedulerName) is null)
        {
            throw new ArgumentException($"GenerationSettings.Scheduler '{schedulerName}' is unknown; valid names: {string.Join(", ", SchedulerFactory.Names)}.", nameof(settings));
        }

        var mode = settings.Mask is not null ? GenerationMode.Inpainting
            : settings.InitImage is not null ? GenerationMode.ImageToImage
            : GenerationMode.TextToImage;
        Check(settings.Mask is null || settings.InitImage is not null, "GenerationSettings.Mask needs an InitImage to inpaint.");
        if (mode != GenerationMode.TextToImage)
        {
            Check(double.IsFinite(settings.Strength) && settings.Strength is > 0 and <= 1,
                $"GenerationSettings.Strength must be greater than 0 and at most 1, not {settings.Strength}.");
            Check(DenoisingSteps(settings.Steps, settings.Strength) >= 1, string.Create(CultureInfo.InvariantCulture,
                $"GenerationSettings.Steps {settings.Steps} with Strength {settings.Strength} leaves no denoising step (int(steps × strength) = 0); raise the steps or the strength."));
            Check(Model.VaeEncoder is not null, $"The model '{Model.Name}' has no vae_encoder; image-to-image and inpainting need one.");
        }

        Check(!Model.Unet.IsInpainting || mode == GenerationMode.Inpainting,
            $"The model '{Model.Name}' has an inpainting UNet (9 input channels); it needs an InitImage and a Mask.");
        return mode;

        static void Check(bool condition, string message)
        {
            if (!condition)
            {
                throw new ArgumentException(message, nameof(settings));
            }
        }
    }

    private LatentState PrepareLatents(
        OrtRunScope scope,
        GenerationSettings settings,
        GenerationMode mode,
        int width,
        int height,
        int latentWidth,
        int latentHeight,
        IScheduler[] schedulers,
        TorchGenerator[] generators,
        float firstTimestep)
    {
        var count = settings.Count;
        var latentLength = 4 * latentWidth * latentHeight;
        var state = new LatentState(count);
        if (mode == GenerationMode.TextToImage)
        {
            for (var i = 0; i < count; i++)
            {
                var noise = generators[i].Randn(latentLength);
                var sigma = schedulers[i].InitNoiseSigma;
                for (var j = 0; j < noise.Length; j++)
                {
                    noise[j] *= sigma;
                }

                state.Latents[i] = noise;
            }

            return state;
        }

        var encoder = Model.VaeEncoder!;
        var image = ImageTensors.ToNchwSigned(ImageResizer.Resize(settings.InitImage!, width, height));
        var encodedImage = encoder.Encode(scope, image, height, width);
        float[]? encodedMaskedImage = null;
        if (mode == GenerationMode.Inpainting)
        {
            state.Mask = InpaintMask.Create(ImageResizer.Resize(settings.Mask!, width, height), latentWidth, latentHeight);
            encodedMaskedImage = encoder.Encode(scope, state.Mask.MaskImage(image), height, width);
            state.MaskedImageLatents = new float[count][];
            state.ImageLatents = new float[count][];
            state.Noise = new float[count][];
        }

        // diffusers' draw order per generator: image latents (when needed), noise, masked-image latents (inpainting).
        var strengthIsMax = settings.Strength >= 1.0;
        for (var i = 0; i < count; i++)
        {
            var needImageLatents = mode == GenerationMode.ImageToImage || Model.Unet.InChannels == 4 || !strengthIsMax;
            var imageLatents = needImageLatents ? ToScaledLatents(encoder, encodedImage, generators[i]) : null;
            var noise = generators[i].Randn(latentLength);
            var latents = new float[latentLength];
            if (mode == GenerationMode.Inpainting && strengthIsMax)
            {
                var sigma = schedulers[i].InitNoiseSigma;
                for (var j = 0; j < latentLength; j++)
                {
                    latents[j] = noise[j] * sigma;
                }
            }
            else
            {
                schedulers[i].AddNoise(imageLatents, noise, firstTimestep, latents);
            }

            state.Latents[i] = latents;
            if (mode == GenerationMode.Inpainting)
            {
                state.ImageLatents![i] = imageLatents!;
                state.Noise![i] = noise;
                state.MaskedImageLatents![i] = ToScaledLatents(encoder, encodedMaskedImage!, generators[i]);
            }
        }

        return state;
    }

    private float[] ToScaledLatents(VaeEncoderModel encoder, float[] encoded, TorchGenerator generator)
    {
        var latents = encoder.OutputsParameters ? LatentDistribution.Sample(encoded, generator) : (float[])encoded.Clone();
        for (var j = 0; j < latents.Length; j++)
        {
            latents[j] *= Model.VaeScalingFactor;
        }

        return latents;
    }

    // Standard-UNet inpainting (diffusers' num_channels_unet == 4 branch): after each step, keep the known region at the
    // init latents noised to the next timestep (or clean after the last step).
    private static void BlendKnownRegion(LatentState state, int i, IScheduler scheduler, float? nextTimestep)
    {
        var latents = state.Latents[i];
        var known = state.ImageLatents![i];
        var proper = nextTimestep is { } next ? new float[latents.Length] : known;
        if (nextTimestep is { } t)
        {
            scheduler.AddNoise(known, state.Noise![i], t, proper);
        }

        var mask = state.Mask!.LatentMask;
        var plane = mask.Length;
        for (var j = 0; j < latents.Length; j++)
        {
            var m = mask[j % plane];
            latents[j] = ((1f - m) * proper[j]) + (m * latents[j]);
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "The safety checker withheld image {Index} (seed {Seed}).")]
    private static partial void LogWithheld(ILogger logger, int index, long seed);

    private sealed class LatentState(int count)
    {
        public float[][] Latents { get; } = new float[count][];

        public InpaintMask? Mask { get; set; }

        public float[][]? ImageLatents { get; set; }

        public float[][]? MaskedImageLatents { get; set; }

        public float[][]? Noise { get; set; }
    }
}
