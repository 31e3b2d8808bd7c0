using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Prompting;
using DiffusionFunctions.Diffusion.Tests.Pipeline;

namespace DiffusionFunctions.Diffusion.Tests.Prompting;

public sealed class PromptEncodingTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public void A_plain_prompt_tokenises_exactly_as_the_clip_tokenizer_encodes_it()
    {
        var tokenizer = fixture.Model.Tokenizer;
        var prompt = PromptTokenizer.Tokenize(tokenizer, "a photo of a cat");

        Assert.Equal(1, prompt.ChunkCount);
        Assert.False(prompt.IsWeighted);
        Assert.Equal(5, prompt.TokenCount);
        Assert.Equal(tokenizer.Encode("a photo of a cat").Ids, prompt.ChunkIds[0]);
        Assert.Equal([49406, 320, 1125, 539, 320, 2368, 49407], prompt.ChunkIds[0][..7]);
    }

    [Fact]
    public void Weighted_tokens_keep_their_ids_and_carry_their_weight()
    {
        var prompt = PromptTokenizer.Tokenize(fixture.Model.Tokenizer, "a photo of a (cat:1.5)");

        Assert.Equal([49406, 320, 1125, 539, 320, 2368, 49407], prompt.ChunkIds[0][..7]);
        Assert.Equal([1f, 1f, 1f, 1f, 1f, 1.5f, 1f], prompt.ChunkWeights[0][..7]);
        Assert.All(prompt.ChunkWeights[0][7..], w => Assert.Equal(1f, w));
    }

    [Fact]
    public void Prompts_over_75_tokens_become_wrapped_77_token_chunks()
    {
        var tokenizer = fixture.Model.Tokenizer;
        var text = string.Join(' ', Enumerable.Repeat("cat", 100));
        var prompt = PromptTokenizer.Tokenize(tokenizer, text);

        Assert.Equal(100, prompt.TokenCount);
        Assert.Equal(2, prompt.ChunkCount);
        Assert.All(prompt.ChunkIds, c => Assert.Equal(77, c.Length));
        Assert.Equal(49406, prompt.ChunkIds[0][0]);
        Assert.Equal(49407, prompt.ChunkIds[0][76]);
        Assert.All(prompt.ChunkIds[0][1..76], id => Assert.Equal(2368, id));
        Assert.Equal([49406, .. Enumerable.Repeat(2368, 25), 49407], prompt.ChunkIds[1][..27]);
        Assert.All(prompt.ChunkIds[1][27..], id => Assert.Equal(tokenizer.PadTokenId, id));

        var padded = PromptTokenizer.PadToChunks(tokenizer, PromptTokenizer.Tokenize(tokenizer, ""), 2);
        Assert.Equal(2, padded.ChunkCount);
        Assert.Equal(tokenizer.Encode("").Ids, padded.ChunkIds[1]);
    }

    [Fact]
    public void Plain_prompts_give_exactly_the_unweighted_encoder_output()
    {
        using var scope = new OrtRunScope(CancellationToken.None);
        var tokenizer = fixture.Model.Tokenizer;
        var direct = fixture.Model.TextEncoder.Encode(scope, tokenizer.Encode("a photo of a cat").Ids, 1, out var hidden);

        var plain = PromptEncoder.Encode(fixture.Model.TextEncoder, scope, PromptTokenizer.Tokenize(tokenizer, "a photo of a cat"), out _);
        var unitWeight = PromptEncoder.Encode(fixture.Model.TextEncoder, scope, PromptTokenizer.Tokenize(tokenizer, "a photo of a (cat:1.0)"), out _);

        Assert.Equal(32, hidden);
        Assert.Equal(direct, plain);
        Assert.Equal(direct, unitWeight);
    }

    [Fact]
    public void Weighting_scales_only_the_weighted_positions_relative_to_the_rest_and_keeps_the_mean()
    {
        using var scope = new OrtRunScope(CancellationToken.None);
        var tokenizer = fixture.Model.Tokenizer;
        var plain = PromptEncoder.Encode(fixture.Model.TextEncoder, scope, PromptTokenizer.Tokenize(tokenizer, "a photo of a cat"), out var hidden);
        var weighted = PromptEncoder.Encode(fixture.Model.TextEncoder, scope, PromptTokenizer.Tokenize(tokenizer, "a photo of a (cat:1.5)"), out _);

        // The web UIs multiply each position by its weight, then rescale the whole chunk back to the original mean: every
        // unweighted position is the plain state times one common factor c, the weighted one (position 5) times 1.5 c.
        var c = weighted[0] / plain[0];
        for (var p = 0; p < 77; p++)
        {
            var expected = p == 5 ? 1.5f * c : c;
            for (var h = 0; h < hidden; h++)
            {
                var i = (p * hidden) + h;
                Assert.Equal(plain[i] * expected, weighted[i], Math.Abs(plain[i] * expected * 1e-4f) + 1e-6f);
            }
        }

        Assert.NotEqual(1f, c, 3);
        Assert.Equal(plain.Average(), weighted.Average(), 1e-5);
    }

    [Fact]
    public void Zero_weights_everywhere_leave_zero_states_rather_than_nan()
    {
        var chunk = new float[] { 1f, 2f, 3f, 4f };
        PromptEncoder.ApplyWeights(chunk, [0f, 0f], 2);
        Assert.Equal([0f, 0f, 0f, 0f], chunk);

        var weighted = new float[] { 1f, 1f, 2f, 2f };
        PromptEncoder.ApplyWeights(weighted, [2f, 1f], 2);
        // mean 1.5 -> after weights [2,2,2,2] mean 2 -> scaled by 0.75
        Assert.Equal([1.5f, 1.5f, 1.5f, 1.5f], weighted);
    }

    [Fact]
    public void Long_prompts_concatenate_chunk_states_along_the_sequence()
    {
        using var scope = new OrtRunScope(CancellationToken.None);
        var tokenizer = fixture.Model.Tokenizer;
        var prompt = PromptTokenizer.Tokenize(tokenizer, string.Join(' ', Enumerable.Repeat("cat", 100)));

        var states = PromptEncoder.Encode(fixture.Model.TextEncoder, scope, prompt, out var hidden);
        var secondAlone = fixture.Model.TextEncoder.Encode(scope, prompt.ChunkIds[1], 1, out _);

        Assert.Equal(2 * 77 * hidden, states.Length);
        Assert.Equal(secondAlone, states[(77 * hidden)..]);
    }
}
