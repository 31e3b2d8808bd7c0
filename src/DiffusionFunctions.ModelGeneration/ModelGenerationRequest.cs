using DiffusionFunctions.ModelGeneration.Architectures;
using DiffusionFunctions.ModelGeneration.Weights;

namespace DiffusionFunctions.ModelGeneration;

/// <summary>Everything the generator needs for one folder; the short overloads of the generator fill the defaults.</summary>
public sealed record ModelGenerationRequest(string OutputDirectory, ModelPreset Preset, ModelVariant Variant, int Seed)
{
    /// <summary>
    /// Path of OpenAI's <c>bpe_simple_vocab_16e6.txt.gz</c> for the <c>tokenizer/</c> files; null looks it up with
    /// <see cref="ClipVocabularyLocator.Find"/>.
    /// </summary>
    public string? ClipBpeVocabularyPath { get; init; }

    /// <summary>Weights to use instead of <see cref="SeededRandomWeightProvider"/> (for example trained weights).</summary>
    public IWeightProvider? Weights { get; init; }

    /// <summary>
    /// Component sizes to write instead of those of <see cref="Preset"/> and <see cref="Variant"/> (custom widths, for
    /// example a trained model's); null resolves them with <see cref="StableDiffusionArchitecture.Resolve"/>.
    /// </summary>
    public StableDiffusionArchitecture? Architecture { get; init; }

    /// <summary>Allow writing into a folder that already has files (they are overwritten; others are left alone).</summary>
    public bool Overwrite { get; init; }
}
