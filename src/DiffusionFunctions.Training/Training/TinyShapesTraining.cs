using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DiffusionFunctions.Diffusion.Tokenization;
using DiffusionFunctions.ModelGeneration;
using DiffusionFunctions.ModelGeneration.Trained;
using DiffusionFunctions.Training.Export;
using DiffusionFunctions.Training.Networks;
using DiffusionFunctions.Training.Shapes;
using static TorchSharp.torch;

namespace DiffusionFunctions.Training.Training;

/// <summary>What a training run did: time per stage, final losses, latent scale, files.</summary>
public sealed record TrainingReport(
    IReadOnlyDictionary<string, double> StageSeconds,
    int AutoencoderSteps,
    double AutoencoderLoss,
    double DecoderLoss,
    double UnetLoss,
    int UnetSteps,
    double LatentRms,
    IReadOnlyDictionary<string, long> Parameters,
    IReadOnlyList<string> Files);

/// <summary>
/// The whole tiny-shapes recipe: render the dataset, train the autoencoder, encode all images once, train the text
/// encoder and UNet, export the EMA weights through the ONNX graph builders into a diffusers/Optimum folder.
/// </summary>
public static class TinyShapesTraining
{
    /// <summary>Stable Diffusion's latent scaling factor; exported latents are scaled so it gives unit RMS.</summary>
    public const float ScalingFactor = 0.18215f;

    /// <summary>Runs every stage and writes the model folder.</summary>
    public static async Task<TrainingReport> RunAsync(TrainingOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var stages = new Dictionary<string, double>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        void EndStage(string name)
        {
            stages[name] = clock.Elapsed.TotalSeconds;
            TrainingLog.Write(string.Create(CultureInfo.InvariantCulture, $"stage {name}: {clock.Elapsed.TotalSeconds:F1} s"));
            clock.Restart();
        }

        TorchNativeSetup.EnsureLoadable();
        set_num_threads(options.Threads);
        ThreadGovernor.MaxThreads = options.Threads;
        manual_seed(options.Seed);
        Directory.CreateDirectory(options.WorkDirectory);
        var bpe = options.ClipBpePath ?? ClipVocabularyLocator.Find();
        var tokenizer = ClipTokenizer.FromOpenAiBpe(bpe);
        var architecture = TinyShapesRecipe.Architecture(tokenizer);

        // 1. Dataset: every training scene, shuffled by the seed; distinct images rendered once.
        var scenes = TrainingScenes.All().ToList();
        var shuffle = new Random(options.Seed);
        for (var i = scenes.Count - 1; i > 0; i--)
        {
            var j = shuffle.Next(i + 1);
            (scenes[i], scenes[j]) = (scenes[j], scenes[i]);
        }

        if (options.SceneLimit is { } limit)
        {
            scenes = scenes.Take(limit).ToList();
        }

        var imageIndex = new Dictionary<ShapeScene, int>();
        var distinct = new List<ShapeScene>();
        var sceneImage = new long[scenes.Count];
        for (var i = 0; i < scenes.Count; i++)
        {
            var key = scenes[i] with { SayPosition = false };
            if (!imageIndex.TryGetValue(key, out var index))
            {
                index = distinct.Count;
                imageIndex[key] = index;
                distinct.Add(key);
            }

            sceneImage[i] = index;
        }

        using var images = SceneTensors.Images(distinct);
        var ids = new long[scenes.Count * 77];
        for (var i = 0; i < scenes.Count; i++)
        {
            var encoded = tokenizer.Encode(scenes[i].Caption).Ids;
            for (var k = 0; k < 77; k++)
            {
                ids[(i * 77) + k] = encoded[k];
            }
        }

        using var idTensor = tensor(ids, [scenes.Count, 77]);
        using var emptyIds = tensor(tokenizer.Encode(string.Empty).Ids.Select(v => (long)v).ToArray());
        TrainingLog.Write($"dataset: {scenes.Count} captions, {distinct.Count} distinct 64x64 images, {SceneSampler.HeldOut.Count} held-out combinations");
        EndStage("dataset");

        // 2. Autoencoder (or the one of an earlier run's checkpoint).
        manual_seed(options.Seed + 1);
        using var encoder = new ParameterBag("vae_encoder");
        using var decoder = new ParameterBag("vae_decoder");
        double aeLoss = double.NaN, decoderLoss = double.NaN;
        var aeSteps = 0;
        if (options.AutoencoderCheckpoint is { } aeCheckpoint)
        {
            LoadAutoencoder(aeCheckpoint, encoder, decoder);
            TrainingLog.Write($"autoencoder: loaded from {aeCheckpoint}; {options.AutoencoderSteps} more joint steps, {options.DecoderSteps} decoder steps");
        }

        if (options.AutoencoderSteps > 0 || options.DecoderSteps > 0)
        {
            (aeLoss, decoderLoss, aeSteps) = AutoencoderTrainer.Train(
                encoder, decoder, architecture.Vae, images, options.AutoencoderSteps, options.DecoderSteps, options.AutoencoderBatch, options.AutoencoderLearningRate,
                options.AutoencoderMinutes is { } aeMinutes ? TimeSpan.FromMinutes(aeMinutes) : null);
        }

        EndStage("autoencoder");

        // 3. Encode every image once; scale to unit RMS.
        Tensor rawLatents;
        using (no_grad())
        {
            var parts = new List<Tensor>();
            for (long start = 0; start < distinct.Count; start += 64)
            {
                using var batchScope = NewDisposeScope();
                var n = Math.Min(64, distinct.Count - start);
                parts.Add(AutoencoderNetwork.Encode(encoder, architecture.Vae, images.narrow(0, start, n)).detach().MoveToOuterDisposeScope());
            }

            rawLatents = cat(parts, 0);
        }

        var rms = Math.Sqrt(rawLatents.square().mean().item<float>());
        using var sceneImages = tensor(sceneImage);
        using var latents = (rawLatents / rms).index_select(0, sceneImages);
        TrainingLog.Write(string.Create(CultureInfo.InvariantCulture, $"latents: {rawLatents.shape[0]}x4x8x8, rms {rms:F4}, scaled std {latents.std().item<float>():F4}"));
        rawLatents.Dispose();
        EndStage("encode");

        // 4. Text encoder + UNet.
        manual_seed(options.Seed + 2);
        using var textNetwork = new TextEncoderNetwork(architecture.TextEncoder);
        using var unet = new ParameterBag("unet");
        using var text = new ParameterBag("text_encoder");
        var trainer = new DiffusionTrainer(unet, text, architecture, textNetwork);
        var (unetEma, textEma, unetLoss, unetSteps) = trainer.Train(
            latents, idTensor, emptyIds, options.UnetSteps, options.UnetMinutes is { } m ? TimeSpan.FromMinutes(m) : null,
            options.UnetBatch, options.UnetLearningRate, options.EmaDecay,
            (step, u, t) => SaveCheckpoint(Path.Combine(options.WorkDirectory, "checkpoint.bin"), rms, encoder, decoder, u, t));
        TrainingLog.Write(string.Create(CultureInfo.InvariantCulture, $"unet: {unetSteps} steps; reproduce this stage with --unet-steps {unetSteps}"));
        EndStage("unet");

        // 5. Export.
        SaveCheckpoint(Path.Combine(options.WorkDirectory, "checkpoint.bin"), rms, encoder, decoder, unetEma, textEma);
        var files = await ExportAsync(options.OutputDirectory, architecture, rms, encoder, decoder, unetEma, textEma, bpe, cancellationToken).ConfigureAwait(false);
        EndStage("export");

        var report = new TrainingReport(
            stages,
            aeSteps,
            aeLoss,
            decoderLoss,
            unetLoss,
            unetSteps,
            rms,
            new Dictionary<string, long>(StringComparer.Ordinal)
            {
                ["text_encoder"] = textEma.Count,
                ["unet"] = unetEma.Count,
                ["vae_encoder"] = encoder.Count,
                ["vae_decoder"] = decoder.Count,
            },
            files);
        unetEma.Dispose();
        textEma.Dispose();
        return report;
    }

    /// <summary>Re-exports a model folder from a checkpoint written by a run.</summary>
    public static async Task<IReadOnlyList<string>> ExportCheckpointAsync(string checkpointPath, string outputDirectory, string? clipBpePath = null, CancellationToken cancellationToken = default)
    {
        TorchNativeSetup.EnsureLoadable();
        var bpe = clipBpePath ?? ClipVocabularyLocator.Find();
        var architecture = TinyShapesRecipe.Architecture(ClipTokenizer.FromOpenAiBpe(bpe));
        using var stream = File.OpenRead(checkpointPath);
        using var reader = new BinaryReader(stream);
        var rms = reader.ReadDouble();
        using var encoder = ParameterBag.Load("vae_encoder", reader);
        using var decoder = ParameterBag.Load("vae_decoder", reader);
        using var unet = ParameterBag.Load("unet", reader);
        using var text = ParameterBag.Load("text_encoder", reader);
        return await ExportAsync(outputDirectory, architecture, rms, encoder, decoder, unet, text, bpe, cancellationToken).ConfigureAwait(false);
    }

    private static void LoadAutoencoder(string checkpointPath, ParameterBag encoder, ParameterBag decoder)
    {
        using var stream = File.OpenRead(checkpointPath);
        using var reader = new BinaryReader(stream);
        _ = reader.ReadDouble();
        using var savedEncoder = ParameterBag.Load("vae_encoder", reader);
        using var savedDecoder = ParameterBag.Load("vae_decoder", reader);
        encoder.CopyFrom(savedEncoder);
        decoder.CopyFrom(savedDecoder);
    }

    internal static void SaveCheckpoint(string path, double rms, ParameterBag encoder, ParameterBag decoder, ParameterBag unet, ParameterBag text)
    {
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(rms);
            encoder.Save(writer);
            decoder.Save(writer);
            unet.Save(writer);
            text.Save(writer);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Writes the folder. The latent scale is folded into the exported weights: the encoder's <c>quant_conv</c> is
    /// multiplied by k = 1 / (0.18215 rms) and the decoder's <c>post_quant_conv</c> weight divided by k, so the pipeline's
    /// 0.18215 factor turns encoder outputs into the unit-RMS latents the UNet was trained on.
    /// </summary>
    internal static async Task<IReadOnlyList<string>> ExportAsync(
        string outputDirectory, TrainedModelArchitecture architecture, double rms, ParameterBag encoder, ParameterBag decoder, ParameterBag unet, ParameterBag text, string bpe, CancellationToken cancellationToken)
    {
        var k = (float)(1.0 / (ScalingFactor * rms));
        using var exportEncoder = encoder.CloneFrozen();
        using var exportDecoder = decoder.CloneFrozen();
        exportEncoder.Set("quant_conv.weight", exportEncoder["quant_conv.weight"] * k);
        exportEncoder.Set("quant_conv.bias", exportEncoder["quant_conv.bias"] * k);
        exportDecoder.Set("post_quant_conv.weight", exportDecoder["post_quant_conv.weight"] / k);
        var provider = new BagWeightProvider([text, unet, exportEncoder, exportDecoder]);
        var files = await TrainedModelFolderWriter.WriteAsync(
            outputDirectory, architecture, provider, bpe, new Progress<string>(TrainingLog.Write), cancellationToken).ConfigureAwait(false);
        provider.EnsureAllUsed();
        return files;
    }

    /// <summary>The report as indented JSON.</summary>
    public static string ToJson(TrainingReport report) =>
        JsonSerializer.Serialize(report, new JsonSerializerOptions
        {
            WriteIndented = true,
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        });
}
