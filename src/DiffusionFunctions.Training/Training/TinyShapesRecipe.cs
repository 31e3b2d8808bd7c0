using DiffusionFunctions.Diffusion.Tokenization;
using DiffusionFunctions.ModelGeneration;
using DiffusionFunctions.ModelGeneration.Architectures;
using DiffusionFunctions.ModelGeneration.Trained;
using DiffusionFunctions.Training.Shapes;

namespace DiffusionFunctions.Training.Training;

/// <summary>
/// The tiny-shapes architecture: a 2-layer width-128 CLIP-style text encoder over the caption words' real CLIP ids, a
/// UNet with 64/96/128 channels and cross-attention at every level on 4x8x8 latents, and a small autoencoder
/// (16/32/64/128 channels, factor 8) for 64x64 images; plus the guidance scale the model is used at by default.
/// </summary>
public static class TinyShapesRecipe
{
    /// <summary>Every word a tiny-shapes caption can contain.</summary>
    public static IReadOnlyList<string> Words { get; } =
    [
        .. NamedColour.Palette.Select(c => c.Name),
        .. ShapeWords.Shapes.Select(s => s.Word()),
        "a", "an", "small", "large", "in", "the", "centre", "top", "bottom", "left", "right", "on", "background",
    ];

    /// <summary>
    /// The default guidance scale written into the model folder (<c>generation_config.json</c>). Above about 2.5 the
    /// high-order multistep samplers (PNDM, LMS; DPM++ 2M above 5) go unstable on this model: its conditional predictions
    /// are nearly exact while the unconditional one mixes thousands of distinct scenes, so strong guidance makes the
    /// probability-flow ODE stiff. Euler, DDIM and DDPM stay right up to 7.5 (the model card has the table).
    /// </summary>
    public const double GuidanceScale = 2.5;

    /// <summary>
    /// The default sampler written into the model folder: DDIM (as SD 2.x ships), which measured best at 25 steps and
    /// guidance 2.5 on the held-out combinations (model card).
    /// </summary>
    public const string SchedulerClassName = "DDIMScheduler";

    /// <summary>The text width (also the UNet's cross-attention width).</summary>
    public const int TextHidden = 128;

    /// <summary>Builds the architecture, with the compact token table over the CLIP ids of <see cref="Words"/>.</summary>
    public static TrainedModelArchitecture Architecture(ClipTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var ids = new SortedSet<int> { tokenizer.StartTokenId, tokenizer.EndTokenId, tokenizer.PadTokenId };
        foreach (var word in Words)
        {
            ids.UnionWith(tokenizer.EncodeWithoutSpecialTokens(word));
        }

        // Row 0 is shared by every id the captions never use; the known ids follow in id order.
        var idToRow = new long[CompactTextEncoderConfig.ClipVocabularySize];
        var row = 1;
        foreach (var id in ids)
        {
            idToRow[id] = row++;
        }

        var text = new CompactTextEncoderConfig(idToRow, row, TextHidden, Layers: 2, Heads: 4, Intermediate: 4 * TextHidden);
        var unet = new UnetConfig(
            InChannels: 4,
            OutChannels: 4,
            BlockChannels: [64, 96, 128],
            BlockHasCrossAttention: [true, true, true],
            BlockHeads: [4, 4, 4],
            LayersPerBlock: 1,
            CrossAttentionDim: TextHidden,
            NormGroups: 16,
            UseLinearProjection: false,
            SampleSize: 8,
            Timestep: TimestepForm.Float32Batch);
        var vae = new VaeConfig([16, 32, 64, 128], LayersPerBlock: 1, LatentChannels: 4, NormGroups: 4, MidAttention: false, OutputTanh: false, SampleSize: 64);
        return new TrainedModelArchitecture(text, unet, vae) { DefaultGuidanceScale = GuidanceScale, SchedulerClassName = SchedulerClassName };
    }
}
