using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Prompting;

namespace DiffusionFunctions.Diffusion.Families;

/// <summary>
/// Stable Diffusion 1.x/2.x (and SD-Turbo, LCM-distilled SD): one CLIP text encoder, its <c>last_hidden_state</c> as the text
/// states, no pooled embedding, no time ids.
/// </summary>
public sealed class StableDiffusionFamily : ModelFamily
{
    /// <summary>The one instance.</summary>
    public static StableDiffusionFamily Instance { get; } = new();

    private StableDiffusionFamily()
    {
    }

    /// <inheritdoc />
    public override string Name => "sd";

    /// <inheritdoc />
    public override string Description => "Stable Diffusion 1.x/2.x: text_encoder (last_hidden_state)";

    /// <inheritdoc />
    public override IReadOnlyList<string> TextEncoderParts { get; } = ["text_encoder"];

    /// <inheritdoc />
    public override IReadOnlyList<string> TokenizerFolders { get; } = ["tokenizer"];

    /// <inheritdoc />
    public override bool ZerosForEmptyNegativePrompt => false;

    /// <inheritdoc />
    public override bool HonoursForceUpcast => false;

    /// <inheritdoc />
    internal override void Validate(StableDiffusionModel model)
    {
        var unet = model.Unet;
        if (unet.TextEmbeds is { } added)
        {
            throw new ModelFolderException(
                $"unet/model.onnx: input '{added.Name}' belongs to the SDXL layout, but the folder has no text_encoder_2/ (model_index.json _class_name '{model.PipelineClassName ?? "(none)"}').");
        }

        if (model.TextEncoder.HiddenSize is { } textWidth && unet.HiddenSize is { } unetWidth && textWidth != unetWidth)
        {
            throw new ModelFolderException(
                $"text_encoder/model.onnx: output '{TextEncoderModel.LastHiddenStateName}' is {textWidth} wide but unet/model.onnx input '{UnetModel.EncoderHiddenStatesName}' expects {unetWidth}.");
        }
    }

    /// <inheritdoc />
    internal override EncodedText Encode(StableDiffusionModel model, OrtRunScope scope, IReadOnlyList<TokenizedPrompt> prompts)
    {
        var states = PromptEncoder.Encode(model.TextEncoder, scope, prompts[0], out var hidden);
        return new EncodedText(states, hidden, null);
    }
}
