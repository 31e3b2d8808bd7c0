using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Prompting;

namespace DiffusionFunctions.Diffusion.Families;

/// <summary>
/// How a model family conditions the UNet, asked by the one pipeline: which text encoders and tokenizers it has, how a text
/// becomes text states (and a pooled embedding), which micro-conditioning (<c>time_ids</c>) goes beside them, and whether an
/// empty negative prompt means zeros. Detected from the folder at load (<see cref="ModelFamilyDetector"/>), the way diffusers'
/// schedulers are small classes configured from their folder. Stateless; one instance per loaded model.
/// </summary>
public abstract class ModelFamily
{
    /// <summary>The family's short name: <c>sd</c>, <c>sdxl</c> or <c>sdxl-refiner</c>.</summary>
    public abstract string Name { get; }

    /// <summary>A human description, e.g. "Stable Diffusion XL (base): text_encoder + text_encoder_2, time_ids [6]".</summary>
    public abstract string Description { get; }

    /// <summary>The text encoder folders the family loads, in the order their states are concatenated.</summary>
    public abstract IReadOnlyList<string> TextEncoderParts { get; }

    /// <summary>The tokenizer folder of each text encoder, same order.</summary>
    public abstract IReadOnlyList<string> TokenizerFolders { get; }

    /// <summary>Whether the empty negative prompt conditions on zeros (states and pooled) instead of the encoded empty text.</summary>
    public abstract bool ZerosForEmptyNegativePrompt { get; }

    /// <summary>Whether an fp16 VAE decoder must be avoided because the folder's VAE config says <c>force_upcast</c>.</summary>
    public abstract bool HonoursForceUpcast { get; }

    /// <summary>Checks the loaded parts fit together; throws <see cref="ModelFolderException"/> naming the file and tensor.</summary>
    internal abstract void Validate(StableDiffusionModel model);

    /// <summary>Encodes one text, tokenised once per encoder and padded to the same chunk count.</summary>
    internal abstract EncodedText Encode(StableDiffusionModel model, OrtRunScope scope, IReadOnlyList<TokenizedPrompt> prompts);

    /// <summary>The UNet's <c>time_ids</c> for one row, or null when the family has none.</summary>
    /// <param name="width">Output width in pixels.</param>
    /// <param name="height">Output height in pixels.</param>
    /// <param name="negative">For the negative (unconditional) rows.</param>
    internal virtual float[]? TimeIds(int width, int height, bool negative) => null;
}
