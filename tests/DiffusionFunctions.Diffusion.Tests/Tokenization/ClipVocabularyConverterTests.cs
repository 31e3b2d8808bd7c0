using System.Text.Json;
using DiffusionFunctions.Diffusion.Tokenization;

namespace DiffusionFunctions.Diffusion.Tests.Tokenization;

/// <summary>The Hugging Face files <see cref="ClipVocabularyConverter"/> writes, checked against the layout of the SD 1.x tokenizer folder.</summary>
[Collection(ClipTokenizerCollection.Name)]
public sealed class ClipVocabularyConverterTests(ClipTokenizerFixture fixture)
{
    [Fact]
    public void Vocab_json_holds_49408_ids_in_the_reference_order()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(fixture.HuggingFaceDirectory, "vocab.json")));
        var vocab = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());

        Assert.Equal(49408, vocab.Count);
        Assert.Equal(0, vocab["!"]);
        Assert.Equal(320, vocab["a</w>"]);
        Assert.Equal(2368, vocab["cat</w>"]);
        Assert.Equal(49406, vocab["<|startoftext|>"]);
        Assert.Equal(49407, vocab["<|endoftext|>"]);
        Assert.Equal(Enumerable.Range(0, 49408), vocab.Values.Order());
    }

    [Fact]
    public void Merges_txt_has_the_version_header_and_48894_merges()
    {
        var lines = File.ReadAllLines(Path.Combine(fixture.HuggingFaceDirectory, "merges.txt"));

        Assert.Equal(48895, lines.Length);
        Assert.Equal("#version: 0.2", lines[0]);
        Assert.Equal("i n", lines[1]);
        Assert.All(lines.Skip(1), line => Assert.Equal(2, line.Split(' ').Length));
    }

    [Fact]
    public void Tokenizer_config_has_the_Stable_Diffusion_1_defaults()
    {
        using var config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(fixture.HuggingFaceDirectory, "tokenizer_config.json")));
        using var map = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(fixture.HuggingFaceDirectory, "special_tokens_map.json")));

        Assert.Equal(77, config.RootElement.GetProperty("model_max_length").GetInt32());
        Assert.Equal("<|endoftext|>", config.RootElement.GetProperty("pad_token").GetString());
        Assert.Equal("CLIPTokenizer", config.RootElement.GetProperty("tokenizer_class").GetString());
        Assert.Equal("<|startoftext|>", config.RootElement.GetProperty("bos_token").GetProperty("content").GetString());
        Assert.Equal("<|endoftext|>", map.RootElement.GetProperty("eos_token").GetProperty("content").GetString());
        Assert.Equal("<|endoftext|>", map.RootElement.GetProperty("pad_token").GetString());
    }

    [Fact]
    public async Task Async_writer_produces_the_same_files()
    {
        var folder = Path.Combine(fixture.TempDirectory, "converter-async");

        var written = await ClipVocabularyConverter.WriteHuggingFaceFilesAsync(ClipTestData.BpeVocabularyPath, folder);

        Assert.Equal(["vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"], written.Select(Path.GetFileName));
        foreach (var path in written)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(fixture.HuggingFaceDirectory, Path.GetFileName(path))), File.ReadAllBytes(path));
        }
    }

    [Fact]
    public void Unknown_pad_token_is_rejected_before_anything_is_written()
    {
        var folder = Path.Combine(fixture.TempDirectory, "converter-bad-pad");

        var ex = Assert.Throws<ArgumentException>(() => ClipVocabularyConverter.WriteHuggingFaceFiles(ClipTestData.BpeVocabularyPath, folder, padToken: "<|pad|>"));

        Assert.Equal("padToken", ex.ParamName);
        Assert.False(Directory.Exists(folder));
    }
}
