using System.Globalization;
using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Prompting;

namespace DiffusionFunctions.Diffusion.Families;

/// <summary>
/// Stable Diffusion XL, as diffusers' <c>StableDiffusionXLPipeline.encode_prompt</c> and <c>_get_add_time_ids</c> condition it:
/// each text encoder's penultimate hidden states (<c>hidden_states[-2]</c>) concatenated along the features (768 + 1280 =
/// 2048 for the base), the pooled <c>text_embeds</c> of the last encoder (<c>CLIPTextModelWithProjection</c>), and
/// <c>time_ids</c> = original size (h, w) + crop top-left (0, 0) + target size (h, w) for the base, or original size + crop
/// + aesthetic score (6.0; 2.5 for the negative rows) for the refiner (<c>requires_aesthetics_score</c>, text_encoder_2 only).
/// </summary>
public sealed class StableDiffusionXlFamily : ModelFamily
{
    /// <summary>diffusers' default <c>aesthetic_score</c>.</summary>
    public const float AestheticScore = 6.0f;

    /// <summary>diffusers' default <c>negative_aesthetic_score</c>.</summary>
    public const float NegativeAestheticScore = 2.5f;

    private StableDiffusionXlFamily(bool refiner, bool zerosForEmptyPrompt)
    {
        IsRefiner = refiner;
        ZerosForEmptyNegativePrompt = zerosForEmptyPrompt;
        TextEncoderParts = refiner ? ["text_encoder_2"] : ["text_encoder", "text_encoder_2"];
        TokenizerFolders = refiner ? ["tokenizer_2"] : ["tokenizer", "tokenizer_2"];
    }

    /// <summary>Whether this is the refiner layout (text_encoder_2 only, aesthetic-score time ids).</summary>
    public bool IsRefiner { get; }

    /// <summary>Values per <c>time_ids</c> row: 6 for the base, 5 for the refiner.</summary>
    public int TimeIdsWidth => IsRefiner ? 5 : 6;

    /// <inheritdoc />
    public override string Name => IsRefiner ? "sdxl-refiner" : "sdxl";

    /// <inheritdoc />
    public override string Description => IsRefiner
        ? "Stable Diffusion XL refiner: text_encoder_2 (penultimate states, pooled text_embeds), time_ids [5] with aesthetic score"
        : "Stable Diffusion XL: text_encoder + text_encoder_2 (penultimate states concatenated, pooled text_embeds), time_ids [6]";

    /// <inheritdoc />
    public override IReadOnlyList<string> TextEncoderParts { get; }

    /// <inheritdoc />
    public override IReadOnlyList<string> TokenizerFolders { get; }

    /// <inheritdoc />
    public override bool ZerosForEmptyNegativePrompt { get; }

    /// <inheritdoc />
    public override bool HonoursForceUpcast => true;

    /// <summary>
    /// The base (<paramref name="refiner"/> false) or the refiner; <paramref name="forceZeros"/> is model_index.json's
    /// <c>force_zeros_for_empty_prompt</c>, null for diffusers' default (true for the base pipeline, false for img2img/refiner).
    /// </summary>
    public static StableDiffusionXlFamily Create(bool refiner, bool? forceZeros) => new(refiner, forceZeros ?? !refiner);

    /// <inheritdoc />
    internal override void Validate(StableDiffusionModel model)
    {
        var c = CultureInfo.InvariantCulture;
        var unet = model.Unet;
        var textEmbeds = unet.TextEmbeds ?? throw new ModelFolderException(
            $"unet/model.onnx: no input '{UnetModel.TextEmbedsName}'; the SDXL layout (model_index.json _class_name '{model.PipelineClassName ?? "(none)"}', text_encoder_2/) needs '{UnetModel.TextEmbedsName}' and '{UnetModel.TimeIdsName}'.");
        var width = 0;
        var sources = new List<string>();
        for (var i = 0; i < model.TextEncoders.Count; i++)
        {
            var encoder = model.TextEncoders[i];
            var part = TextEncoderParts[i];
            if (encoder.PenultimateStateName is null)
            {
                throw new ModelFolderException(
                    $"{part}/model.onnx: no output 'hidden_states.N'; SDXL conditions on the penultimate layer, so export the encoder with its hidden states (optimum-cli exports SDXL that way).");
            }

            width += encoder.PenultimateHiddenSize ?? 0;
            sources.Add(string.Create(c, $"{part}/model.onnx '{encoder.PenultimateStateName}' ({encoder.PenultimateHiddenSize})"));
        }

        var pooledEncoder = model.TextEncoders[^1];
        if (!pooledEncoder.HasTextEmbeds)
        {
            throw new ModelFolderException(
                $"{TextEncoderParts[^1]}/model.onnx: no output '{TextEncoderModel.TextEmbedsName}'; SDXL's pooled embedding comes from text_encoder_2's projection (CLIPTextModelWithProjection).");
        }

        if (unet.HiddenSize is { } unetWidth && width > 0 && unetWidth != width)
        {
            throw new ModelFolderException(string.Create(c,
                $"unet/model.onnx: input '{UnetModel.EncoderHiddenStatesName}' expects {unetWidth} features but {string.Join(" + ", sources)} give {width}."));
        }

        if (textEmbeds.FixedDimension(1) is { } pooledWidth && pooledEncoder.ProjectionSize is { } projection && pooledWidth != projection)
        {
            throw new ModelFolderException(string.Create(c,
                $"unet/model.onnx: input '{UnetModel.TextEmbedsName}' expects {pooledWidth} features but {TextEncoderParts[^1]}/model.onnx output '{TextEncoderModel.TextEmbedsName}' gives {projection}."));
        }

        if (unet.TimeIds!.FixedDimension(1) is { } timeIds && timeIds != TimeIdsWidth)
        {
            throw new ModelFolderException(string.Create(c,
                $"unet/model.onnx: input '{UnetModel.TimeIdsName}' takes {timeIds} values but the folder is laid out as the SDXL {(IsRefiner ? "refiner (text_encoder_2 only, requires_aesthetics_score: 5 values)" : "base (text_encoder and text_encoder_2: 6 values)")}."));
        }
    }

    /// <inheritdoc />
    internal override EncodedText Encode(StableDiffusionModel model, OrtRunScope scope, IReadOnlyList<TokenizedPrompt> prompts)
    {
        var parts = new List<(float[] States, int Hidden)>();
        float[]? pooled = null;
        for (var i = 0; i < prompts.Count; i++)
        {
            var encoder = model.TextEncoders[i];
            var isPooledSource = i == prompts.Count - 1;
            var states = PromptEncoder.Encode(encoder, scope, prompts[i], encoder.PenultimateStateName!, isPooledSource, out var hidden, out var rowPooled);
            parts.Add((states, hidden));
            if (isPooledSource)
            {
                pooled = rowPooled;
            }
        }

        // torch.concat(prompt_embeds_list, dim=-1): per position, encoder 1's features then encoder 2's.
        var positions = parts[0].States.Length / parts[0].Hidden;
        var total = parts.Sum(p => p.Hidden);
        var result = new float[positions * total];
        for (var p = 0; p < positions; p++)
        {
            var offset = p * total;
            foreach (var (states, hidden) in parts)
            {
                states.AsSpan(p * hidden, hidden).CopyTo(result.AsSpan(offset, hidden));
                offset += hidden;
            }
        }

        return new EncodedText(result, total, pooled);
    }

    /// <inheritdoc />
    internal override float[] TimeIds(int width, int height, bool negative) => IsRefiner
        ? [height, width, 0, 0, negative ? NegativeAestheticScore : AestheticScore]
        : [height, width, 0, 0, height, width];
}
