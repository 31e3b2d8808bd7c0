using DiffusionFunctions.Diffusion.Prompting;
using DiffusionFunctions.Diffusion.Tests.Pipeline;
using DiffusionFunctions.Diffusion.Tokenization;

namespace DiffusionFunctions.Diffusion.Tests.Prompting;

public sealed class PromptChunkingTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private ClipTokenizer Tokenizer => fixture.Model.Tokenizer;

    [Fact]
    public void Break_ends_the_chunk_and_is_never_encoded()
    {
        var prompt = PromptTokenizer.Tokenize(Tokenizer, "a cat BREAK a dog");

        Assert.Equal(2, prompt.ChunkCount);
        Assert.Equal(Tokenizer.Encode("a cat").Ids, prompt.ChunkIds[0]);
        Assert.Equal(Tokenizer.Encode("a dog").Ids, prompt.ChunkIds[1]);
        Assert.Equal(4, prompt.TokenCount);
    }

    [Fact]
    public void Break_at_the_end_adds_no_empty_chunk_and_two_breaks_leave_one()
    {
        Assert.Equal(1, PromptTokenizer.Tokenize(Tokenizer, "a cat BREAK").ChunkCount);
        var twice = PromptTokenizer.Tokenize(Tokenizer, "a cat BREAK BREAK a dog");
        Assert.Equal(3, twice.ChunkCount);
        Assert.Equal(Tokenizer.Encode("").Ids, twice.ChunkIds[1]);
    }

    [Theory]
    [InlineData(70, 20, new[] { 70, 20 })]   // the example: comma at token 70, the web UI's default window
    [InlineData(70, 0, new[] { 75, 15 })]    // window 0: cut at exactly 75
    [InlineData(56, 20, new[] { 56, 34 })]   // the comma 20 tokens back from the full chunk's end: the edge of the window
    [InlineData(55, 20, new[] { 75, 15 })]   // 21 tokens back: too far, cut at 75
    [InlineData(75, 20, new[] { 75, 15 })]   // the comma fills the chunk: nothing to move
    public void A_full_chunk_moves_the_words_after_a_near_comma_to_the_next_chunk(int commaToken, int window, int[] expected)
    {
        // "cat" × (commaToken - 1), ",", then "dog" up to 90 tokens.
        var words = Enumerable.Repeat("cat", commaToken - 1).Append(",").Concat(Enumerable.Repeat("dog", 90 - commaToken));
        var prompt = PromptTokenizer.Tokenize(Tokenizer, string.Join(' ', words), window);

        Assert.Equal(expected, prompt.ChunkIds.Select(PromptTokens));
        Assert.Equal(90, prompt.TokenCount);
        var all = prompt.ChunkIds.SelectMany(c => c[1..(1 + PromptTokens(c))]).ToArray();
        Assert.Equal(Tokenizer.EncodeWithoutSpecialTokens(string.Join(' ', words)), all);
    }

    [Fact]
    public void Backtracking_carries_the_moved_tokens_weights()
    {
        var words = Enumerable.Repeat("cat", 69).Append(",").Append("(red dog:1.5)").Concat(Enumerable.Repeat("dog", 18));
        var prompt = PromptTokenizer.Tokenize(Tokenizer, string.Join(' ', words));

        Assert.Equal([70, 20], prompt.ChunkIds.Select(PromptTokens));
        Assert.Equal([1.5f, 1.5f, 1f], prompt.ChunkWeights[1][1..4]);
        Assert.Equal(1f, prompt.ChunkWeights[0][70]);
    }

    private int PromptTokens(int[] chunk) => Array.IndexOf(chunk, Tokenizer.EndTokenId, 1) - 1;
}
