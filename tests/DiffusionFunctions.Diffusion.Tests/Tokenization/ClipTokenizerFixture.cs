using DiffusionFunctions.Diffusion.Tokenization;

namespace DiffusionFunctions.Diffusion.Tests.Tokenization;

/// <summary>
/// Loads the real CLIP vocabulary once per test run, both ways: from OpenAI's <c>bpe_simple_vocab_16e6.txt.gz</c>
/// (<see cref="ClipTestData.BpeVocabularyPath"/>, normally RepositoryPaths.ClipBpeVocabulary) and from a Hugging Face folder that
/// <see cref="ClipVocabularyConverter"/> derives from the same file into a temporary folder.
/// </summary>
public sealed class ClipTokenizerFixture : IDisposable
{
    public ClipTokenizerFixture()
    {
        TempDirectory = Directory.CreateTempSubdirectory("clip-tokenizer-tests-").FullName;
        HuggingFaceDirectory = Path.Combine(TempDirectory, "tokenizer");
        ClipVocabularyConverter.WriteHuggingFaceFiles(ClipTestData.BpeVocabularyPath, HuggingFaceDirectory);
        FromOpenAi = ClipTokenizer.FromOpenAiBpe(ClipTestData.BpeVocabularyPath);
        FromHuggingFace = ClipTokenizer.FromModelFolder(HuggingFaceDirectory);
        FromOpenAiStableDiffusion2 = ClipTokenizer.FromOpenAiBpe(ClipTestData.BpeVocabularyPath, ClipTokenizerOptions.StableDiffusion2);
        using var stream = File.OpenRead(ClipTestData.BpeVocabularyPath);
        _openAiSource = ClipVocabularyFiles.ReadOpenAiBpe(stream, ClipTestData.BpeVocabularyPath);
    }

    private readonly ClipVocabularySource _openAiSource;

    /// <summary>A fresh tokenizer over the OpenAI vocabulary (parsed once) with other options, via <see cref="ClipTokenizer.Create(IReadOnlyDictionary{string, int}, IEnumerable{ValueTuple{string, string}}, ClipTokenizerOptions?)"/>.</summary>
    public ClipTokenizer CreateOpenAi(ClipTokenizerOptions options) => ClipTokenizer.Create(_openAiSource.Vocabulary, _openAiSource.Merges, options);

    /// <summary>A scratch folder deleted with the fixture.</summary>
    public string TempDirectory { get; }

    /// <summary>vocab.json, merges.txt, tokenizer_config.json, special_tokens_map.json (SD 1.x) derived from the OpenAI file.</summary>
    public string HuggingFaceDirectory { get; }

    public ClipTokenizer FromOpenAi { get; }

    public ClipTokenizer FromHuggingFace { get; }

    /// <summary>The OpenAI vocabulary with Stable Diffusion 2.x padding (id 0).</summary>
    public ClipTokenizer FromOpenAiStableDiffusion2 { get; }

    public void Dispose() => Directory.Delete(TempDirectory, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class ClipTokenizerCollection : ICollectionFixture<ClipTokenizerFixture>
{
    public const string Name = "CLIP tokenizer";
}
