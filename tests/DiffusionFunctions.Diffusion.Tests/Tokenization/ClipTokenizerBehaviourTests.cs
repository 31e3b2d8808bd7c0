using DiffusionFunctions.Diffusion.Tokenization;

namespace DiffusionFunctions.Diffusion.Tests.Tokenization;

/// <summary>Truncation, padding, options, decoding and concurrency of <see cref="ClipTokenizer"/>.</summary>
[Collection(ClipTokenizerCollection.Name)]
public sealed class ClipTokenizerBehaviourTests(ClipTokenizerFixture fixture)
{
    private const int Cat = 2368; // "cat</w>"

    [Fact]
    public void Truncation_keeps_the_end_token_last_and_reports_the_dropped_count()
    {
        var encoding = fixture.FromOpenAi.Encode(string.Join(' ', Enumerable.Repeat("cat", 80)));

        Assert.Equal(49406, encoding.Ids[0]);
        Assert.All(encoding.Ids[1..76], id => Assert.Equal(Cat, id));
        Assert.Equal(49407, encoding.Ids[76]);
        Assert.Equal(77, encoding.TokenCount);
        Assert.Equal(5, encoding.TruncatedTokenCount);
        Assert.True(encoding.IsTruncated);
        Assert.All(encoding.AttentionMask, m => Assert.Equal(1, m));
    }

    [Fact]
    public void Exactly_75_tokens_fit_without_truncation()
    {
        var encoding = fixture.FromOpenAi.Encode(string.Join(' ', Enumerable.Repeat("cat", 75)));

        Assert.Equal(77, encoding.TokenCount);
        Assert.Equal(0, encoding.TruncatedTokenCount);
        Assert.False(encoding.IsTruncated);
        Assert.Equal(49407, encoding.Ids[76]);
    }

    [Fact]
    public void EncodeWithoutSpecialTokens_neither_frames_nor_truncates()
    {
        var ids = fixture.FromOpenAi.EncodeWithoutSpecialTokens(string.Join(' ', Enumerable.Repeat("cat", 200)));

        Assert.Equal(200, ids.Count);
        Assert.All(ids, id => Assert.Equal(Cat, id));
    }

    [Fact]
    public void Empty_prompt_is_start_end_and_padding()
    {
        var encoding = fixture.FromOpenAi.Encode("");

        Assert.Equal([49406, 49407, 49407], encoding.Ids[..3]);
        Assert.Equal(2, encoding.TokenCount);
        Assert.Equal([1, 1, 0], encoding.AttentionMask[..3]);
    }

    [Fact]
    public void Smaller_max_length_truncates_to_it()
    {
        var tokenizer = fixture.CreateOpenAi(new ClipTokenizerOptions(maxLength: 5));

        var encoding = tokenizer.Encode("a photo of a cat");

        Assert.Equal([49406, 320, 1125, 539, 49407], encoding.Ids);
        Assert.Equal(2, encoding.TruncatedTokenCount);
    }

    [Fact]
    public void Stable_Diffusion_2_folder_pads_with_zero_from_its_tokenizer_config()
    {
        var folder = Path.Combine(fixture.TempDirectory, "sd2", "tokenizer");
        ClipVocabularyConverter.WriteHuggingFaceFiles(ClipTestData.BpeVocabularyPath, folder, ClipVocabularyConverter.StableDiffusion2PadToken);

        var tokenizer = ClipTokenizer.FromModelFolder(folder);
        var encoding = tokenizer.Encode("a photo of a cat");

        Assert.Equal(0, tokenizer.PadTokenId);
        Assert.Equal(49407, tokenizer.EndTokenId);
        Assert.Equal([49406, 320, 1125, 539, 320, 2368, 49407, 0, 0], encoding.Ids[..9]);
        Assert.All(encoding.Ids[7..], id => Assert.Equal(0, id));
        Assert.Equal(7, encoding.TokenCount);
    }

    [Fact]
    public void Model_folder_is_accepted_in_place_of_its_tokenizer_subfolder()
    {
        var tokenizer = ClipTokenizer.FromModelFolder(fixture.TempDirectory);

        Assert.Equal([49406, 320, 1125, 539, 320, 2368, 49407], tokenizer.Encode("a photo of a cat").Ids[..7]);
    }

    [Fact]
    public async Task FromModelFolderAsync_loads_the_same_tokenizer()
    {
        var tokenizer = await ClipTokenizer.FromModelFolderAsync(fixture.HuggingFaceDirectory);

        Assert.Equal(fixture.FromHuggingFace.Encode("it's a café &amp; 🐱").Ids, tokenizer.Encode("it's a café &amp; 🐱").Ids);
    }

    [Fact]
    public async Task FromModelFolderAsync_honours_cancellation()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ClipTokenizer.FromModelFolderAsync(fixture.HuggingFaceDirectory, cancellationToken: cancelled.Token));
    }

    [Fact]
    public void Model_max_length_and_pad_token_are_read_from_the_config_files()
    {
        var folder = CopyHuggingFaceFolder("short");
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{ "model_max_length": 16, "pad_token": "<|endoftext|>" }""");
        File.WriteAllText(Path.Combine(folder, "special_tokens_map.json"), """{ "pad_token": { "content": "!", "lstrip": false } }""");

        var tokenizer = ClipTokenizer.FromModelFolder(folder);

        Assert.Equal(16, tokenizer.MaxLength);
        Assert.Equal(0, tokenizer.PadTokenId); // special_tokens_map.json wins, as in Hugging Face
        Assert.Equal(16, tokenizer.Encode("a photo of a cat").Ids.Length);
    }

    [Fact]
    public void Huge_model_max_length_means_unset_and_falls_back_to_77()
    {
        var folder = CopyHuggingFaceFolder("unbounded");
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{ "model_max_length": 1000000000000000019884624838656 }""");
        File.Delete(Path.Combine(folder, "special_tokens_map.json"));

        var tokenizer = ClipTokenizer.FromModelFolder(folder);

        Assert.Equal(77, tokenizer.MaxLength);
        Assert.Equal(49407, tokenizer.PadTokenId);
    }

    [Fact]
    public void Html_unescaping_can_be_turned_off_to_match_Hugging_Face()
    {
        var hfLike = fixture.CreateOpenAi(new ClipTokenizerOptions(unescapeHtml: false));

        Assert.Equal(fixture.FromOpenAi.EncodeWithoutSpecialTokens("tom & lt ; jerry"), hfLike.EncodeWithoutSpecialTokens("tom &lt; jerry"));
        Assert.Equal(fixture.FromOpenAi.EncodeWithoutSpecialTokens("tom < jerry"), fixture.FromOpenAi.EncodeWithoutSpecialTokens("tom &lt; jerry"));
        Assert.NotEqual(fixture.FromOpenAi.EncodeWithoutSpecialTokens("tom &lt; jerry"), hfLike.EncodeWithoutSpecialTokens("tom &lt; jerry"));
    }

    [Fact]
    public void Lone_surrogates_tokenise_as_the_replacement_character_without_throwing()
    {
        var ids = fixture.FromOpenAi.EncodeWithoutSpecialTokens("cat \uD800 dog\uDC00");

        Assert.Equal(fixture.FromOpenAi.EncodeWithoutSpecialTokens("cat \uFFFD dog\uFFFD"), ids);
    }

    [Fact]
    public void EncodeInto_writes_the_same_ids_into_int32_and_int64_buffers()
    {
        const string Prompt = "a photo of an astronaut riding a horse on mars";
        var expected = fixture.FromOpenAi.Encode(Prompt);
        var ids32 = new int[77];
        var mask32 = new int[77];
        var ids64 = new long[77];
        var mask64 = new long[77];
        Array.Fill(mask32, 7); // stale values must be overwritten

        var counts32 = fixture.FromOpenAi.EncodeInto(Prompt, ids32, mask32);
        var counts64 = fixture.FromOpenAi.EncodeInto(Prompt, ids64, mask64);

        Assert.Equal(expected.Ids, ids32);
        Assert.Equal(expected.AttentionMask, mask32);
        Assert.Equal(expected.Ids.Select(i => (long)i), ids64);
        Assert.Equal(expected.AttentionMask.Select(i => (long)i), mask64);
        Assert.Equal(new ClipTokenCounts(12, 0), counts32);
        Assert.Equal(counts32, counts64);
    }

    [Fact]
    public void EncodeInto_rejects_a_buffer_of_the_wrong_length()
    {
        var ex = Assert.Throws<ArgumentException>(() => fixture.FromOpenAi.EncodeInto("cat", new int[76], []));

        Assert.Equal("ids", ex.ParamName);
        Assert.Contains("77", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_can_skip_the_start_end_and_padding_tokens()
    {
        var encoding = fixture.FromOpenAi.Encode("a photo of a cat");

        Assert.Equal("a photo of a cat ", fixture.FromOpenAi.Decode(encoding.Ids, skipSpecialTokens: true));
        Assert.StartsWith("<|startoftext|>a photo of a cat <|endoftext|><|endoftext|>", fixture.FromOpenAi.Decode(encoding.Ids), StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_rejects_an_id_outside_the_vocabulary()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => fixture.FromOpenAi.Decode([320, 49408]));
        Assert.Contains("49408", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Concurrent_encoding_with_a_tiny_cache_gives_the_same_ids_and_stays_bounded()
    {
        var golden = ClipGoldenTable.Load("clip_fuzz_ids.json").Prompts;
        var tokenizer = fixture.CreateOpenAi(new ClipTokenizerOptions(mergeCacheCapacity: 8));
        var results = new IReadOnlyList<int>[golden.Count * 4];

        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            results[i] = tokenizer.EncodeWithoutSpecialTokens(golden[i % golden.Count].Text));

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(golden[i % golden.Count].Ids, results[i]);
        }

        Assert.InRange(tokenizer.MergeCacheCount, 1, 8 + 4);
    }

    [Fact]
    public void Words_longer_than_64_characters_are_not_cached()
    {
        var tokenizer = ClipTokenizer.FromOpenAiBpe(ClipTestData.BpeVocabularyPath);

        var ids = tokenizer.EncodeWithoutSpecialTokens(new string('a', 65) + " " + new string('b', 64));

        Assert.Equal(1, tokenizer.MergeCacheCount);
        Assert.Equal(ids, tokenizer.EncodeWithoutSpecialTokens(new string('a', 65) + " " + new string('b', 64)));
    }

    [Fact]
    public void A_disabled_cache_still_encodes_correctly()
    {
        var tokenizer = fixture.CreateOpenAi(new ClipTokenizerOptions(mergeCacheCapacity: 0));

        Assert.Equal([320, 1125, 539, 550, 18376, 6765, 320, 4558, 525, 7496], tokenizer.EncodeWithoutSpecialTokens("a photo of an astronaut riding a horse on mars"));
        Assert.Equal(0, tokenizer.MergeCacheCount);
    }

    [Fact]
    public void Create_from_streams_and_from_a_dictionary_agree_with_the_file_loaders()
    {
        using var vocab = File.OpenRead(Path.Combine(fixture.HuggingFaceDirectory, "vocab.json"));
        using var merges = File.OpenRead(Path.Combine(fixture.HuggingFaceDirectory, "merges.txt"));
        var fromStreams = ClipTokenizer.Create(vocab, merges);
        using var gz = File.OpenRead(ClipTestData.BpeVocabularyPath);
        var fromGzStream = ClipTokenizer.FromOpenAiBpe(gz);

        const string Prompt = "it's a café 🐱 &amp; 東京";
        var expected = fixture.FromOpenAi.EncodeWithoutSpecialTokens(Prompt);
        Assert.Equal(expected, fromStreams.EncodeWithoutSpecialTokens(Prompt));
        Assert.Equal(expected, fromGzStream.EncodeWithoutSpecialTokens(Prompt));
    }

    private string CopyHuggingFaceFolder(string name)
    {
        var folder = Path.Combine(fixture.TempDirectory, name);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(fixture.HuggingFaceDirectory))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
        }

        return folder;
    }
}
