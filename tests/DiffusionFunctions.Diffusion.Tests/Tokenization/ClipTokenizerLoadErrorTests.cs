using System.IO.Compression;
using System.Text;
using DiffusionFunctions.Diffusion.Tokenization;

namespace DiffusionFunctions.Diffusion.Tests.Tokenization;

/// <summary>Missing or malformed tokenizer files and bad options give specific errors that name the file or value.</summary>
[Collection(ClipTokenizerCollection.Name)]
public sealed class ClipTokenizerLoadErrorTests(ClipTokenizerFixture fixture)
{
    [Fact]
    public void Missing_folder_is_named()
    {
        var path = Path.Combine(fixture.TempDirectory, "no-such-folder");

        var ex = Assert.Throws<DirectoryNotFoundException>(() => ClipTokenizer.FromModelFolder(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("vocab.json")]
    [InlineData("merges.txt")]
    public void Missing_vocabulary_file_is_named(string fileName)
    {
        var folder = CopyFolder($"missing-{fileName}");
        File.Delete(Path.Combine(folder, fileName));

        var ex = Assert.Throws<FileNotFoundException>(() => ClipTokenizer.FromModelFolder(folder));

        Assert.Equal(Path.Combine(folder, fileName), ex.FileName);
        Assert.Contains(fileName, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("vocab.json", "{ not json")]
    [InlineData("vocab.json", "[1, 2, 3]")]
    [InlineData("vocab.json", """{ "a": "one" }""")]
    [InlineData("tokenizer_config.json", "{ \"pad_token\": ")]
    [InlineData("tokenizer_config.json", """{ "model_max_length": "long" }""")]
    [InlineData("special_tokens_map.json", """{ "pad_token": 5 }""")]
    public void Malformed_file_is_named(string fileName, string content)
    {
        var folder = CopyFolder($"bad-{fileName}-{content.Length}");
        var path = Path.Combine(folder, fileName);
        File.WriteAllText(path, content);

        var ex = Assert.Throws<InvalidDataException>(() => ClipTokenizer.FromModelFolder(folder));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pad_token_missing_from_the_vocabulary_names_the_token_and_both_files()
    {
        var folder = CopyFolder("unknown-pad");
        var config = Path.Combine(folder, "special_tokens_map.json");
        File.WriteAllText(config, """{ "pad_token": "<|pad|>" }""");

        var ex = Assert.Throws<InvalidDataException>(() => ClipTokenizer.FromModelFolder(folder));

        Assert.Contains("<|pad|>", ex.Message, StringComparison.Ordinal);
        Assert.Contains(config, ex.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(folder, "vocab.json"), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_merge_line_is_named_with_its_line_number()
    {
        var folder = CopyFolder("bad-merge");
        var path = Path.Combine(folder, "merges.txt");
        File.WriteAllLines(path, ["#version: 0.2", "i n", "t h e"]);

        var ex = Assert.Throws<InvalidDataException>(() => ClipTokenizer.FromModelFolder(folder));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_whose_result_is_not_in_the_vocabulary_is_named()
    {
        var folder = CopyFolder("merge-outside-vocab");
        var path = Path.Combine(folder, "merges.txt");
        File.WriteAllLines(path, ["#version: 0.2", "i n", "q z"]);
        var vocab = Path.Combine(folder, "vocab.json");
        File.WriteAllText(vocab, File.ReadAllText(vocab).Replace("\"qz\"", "\"q_z\"", StringComparison.Ordinal));

        var ex = Assert.Throws<InvalidDataException>(() => ClipTokenizer.FromModelFolder(folder));

        Assert.Contains("'qz'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_OpenAI_file_is_named()
    {
        var path = Path.Combine(fixture.TempDirectory, "absent.txt.gz");

        var ex = Assert.Throws<FileNotFoundException>(() => ClipTokenizer.FromOpenAiBpe(path));

        Assert.Equal(path, ex.FileName);
    }

    [Fact]
    public void OpenAI_file_that_is_not_gzip_is_named()
    {
        var path = Path.Combine(fixture.TempDirectory, "plain.txt.gz");
        File.WriteAllText(path, "#version: 0.2\ni n\n");

        var ex = Assert.Throws<InvalidDataException>(() => ClipTokenizer.FromOpenAiBpe(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_OpenAI_file_says_how_many_merges_it_has()
    {
        var path = Path.Combine(fixture.TempDirectory, "short.txt.gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes("header\ni n\nt h\n"));
        }

        var ex = Assert.Throws<InvalidDataException>(() => ClipTokenizer.FromOpenAiBpe(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("48894", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, null, 0, "maxLength")]
    [InlineData(70_000, null, 0, "maxLength")]
    [InlineData(77, -1, 0, "padTokenId")]
    [InlineData(77, null, -1, "mergeCacheCapacity")]
    public void Options_reject_out_of_range_values(int maxLength, int? padTokenId, int cacheCapacity, string parameter)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ClipTokenizerOptions(maxLength, padTokenId, mergeCacheCapacity: cacheCapacity));

        Assert.Equal(parameter, ex.ParamName);
    }

    [Fact]
    public void Pad_id_outside_the_vocabulary_is_rejected_when_building()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ClipTokenizer.FromOpenAiBpe(ClipTestData.BpeVocabularyPath, new ClipTokenizerOptions(padTokenId: 49408)));

        Assert.Contains("49408", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Vocabulary_without_the_start_token_is_rejected()
    {
        var vocabulary = new Dictionary<string, int>();
        var id = 0;
        for (var b = 0; b < 256; b++)
        {
            vocabulary[ByteLevelAlphabet.ToChar((byte)b).ToString()] = id++;
            vocabulary[ByteLevelAlphabet.ToChar((byte)b) + "</w>"] = id++;
        }

        vocabulary["<|endoftext|>"] = id;

        var ex = Assert.Throws<ArgumentException>(() => ClipTokenizer.Create(vocabulary, []));

        Assert.Contains("<|startoftext|>", ex.Message, StringComparison.Ordinal);
    }

    private string CopyFolder(string name)
    {
        var folder = Path.Combine(fixture.TempDirectory, "errors", name);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(fixture.HuggingFaceDirectory))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
        }

        return folder;
    }
}
