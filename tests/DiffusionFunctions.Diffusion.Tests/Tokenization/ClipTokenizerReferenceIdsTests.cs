using DiffusionFunctions.Diffusion.Tokenization;

namespace DiffusionFunctions.Diffusion.Tests.Tokenization;

/// <summary>The ids published with CLIP / Stable Diffusion (shared/data/clip/README.md), through both load paths.</summary>
[Collection(ClipTokenizerCollection.Name)]
public sealed class ClipTokenizerReferenceIdsTests(ClipTokenizerFixture fixture)
{
    public static TheoryData<string, int[]> KnownPrompts => new()
    {
        { "a photo of a cat", [49406, 320, 1125, 539, 320, 2368, 49407] },
        { "a photo of an astronaut riding a horse on mars", [49406, 320, 1125, 539, 550, 18376, 6765, 320, 4558, 525, 7496, 49407] },
    };

    [Theory]
    [MemberData(nameof(KnownPrompts))]
    public void Encode_from_the_OpenAI_file_gives_the_published_ids_padded_with_the_end_token(string prompt, int[] expected)
    {
        AssertEncoding(fixture.FromOpenAi.Encode(prompt), expected, padId: 49407);
    }

    [Theory]
    [MemberData(nameof(KnownPrompts))]
    public void Encode_from_the_Hugging_Face_folder_gives_the_published_ids(string prompt, int[] expected)
    {
        AssertEncoding(fixture.FromHuggingFace.Encode(prompt), expected, padId: 49407);
    }

    [Fact]
    public void Both_load_paths_report_CLIPs_special_tokens_and_shape()
    {
        foreach (var tokenizer in new[] { fixture.FromOpenAi, fixture.FromHuggingFace })
        {
            Assert.Equal(49406, tokenizer.StartTokenId);
            Assert.Equal(49407, tokenizer.EndTokenId);
            Assert.Equal(49407, tokenizer.PadTokenId);
            Assert.Equal(77, tokenizer.MaxLength);
            Assert.Equal(49408, tokenizer.VocabularySize);
        }
    }

    internal static void AssertEncoding(ClipTokenization encoding, int[] expected, int padId)
    {
        Assert.Equal(77, encoding.Ids.Length);
        Assert.Equal(expected, encoding.Ids[..expected.Length]);
        Assert.All(encoding.Ids[expected.Length..], id => Assert.Equal(padId, id));
        Assert.Equal(expected.Length, encoding.TokenCount);
        Assert.Equal(0, encoding.TruncatedTokenCount);
        Assert.Equal(Enumerable.Repeat(1, expected.Length).Concat(Enumerable.Repeat(0, 77 - expected.Length)), encoding.AttentionMask);
    }
}
