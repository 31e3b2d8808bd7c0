using DiffusionFunctions.Diffusion.Tokenization;

namespace DiffusionFunctions.Diffusion.Prompting;

/// <summary>
/// Turns a prompt with emphasis syntax into text-encoder chunks the way the common web UIs do (AUTOMATIC1111
/// <c>modules/sd_hijack_clip.py</c>, <c>tokenize_line</c>): each fragment is tokenised without special tokens, tokens carry
/// their fragment's weight, and every 75 tokens form a chunk wrapped in start/end tokens and padded to 77. Unlike the web UI,
/// chunks are cut at exactly 75 tokens (no backtracking to the last comma).
/// </summary>
public static class PromptTokenizer
{
    /// <summary>Tokenises <paramref name="prompt"/> into weighted chunks; a prompt of at most 75 tokens gives one chunk whose ids equal <see cref="ClipTokenizer.Encode"/>'s.</summary>
    public static TokenizedPrompt Tokenize(ClipTokenizer tokenizer, string prompt)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(prompt);
        var tokens = new List<int>();
        var tokenWeights = new List<float>();
        foreach (var fragment in PromptWeightParser.Parse(prompt))
        {
            foreach (var id in tokenizer.EncodeWithoutSpecialTokens(fragment.Text))
            {
                tokens.Add(id);
                tokenWeights.Add(fragment.Weight);
            }
        }

        var perChunk = tokenizer.MaxLength - 2;
        var ids = new List<int[]>();
        var weights = new List<float[]>();
        var offset = 0;
        do
        {
            var count = Math.Min(perChunk, tokens.Count - offset);
            var (chunkIds, chunkWeights) = Chunk(tokenizer, tokens.GetRange(offset, count), tokenWeights.GetRange(offset, count));
            ids.Add(chunkIds);
            weights.Add(chunkWeights);
            offset += count;
        }
        while (offset < tokens.Count);

        return new TokenizedPrompt(tokenizer.MaxLength, ids, weights, tokens.Count);
    }

    /// <summary>Appends empty chunks (the encoding of "") until <paramref name="prompt"/> has <paramref name="chunkCount"/> chunks.</summary>
    public static TokenizedPrompt PadToChunks(ClipTokenizer tokenizer, TokenizedPrompt prompt, int chunkCount)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(prompt);
        if (prompt.ChunkCount >= chunkCount)
        {
            return prompt;
        }

        var ids = prompt.ChunkIds.ToList();
        var weights = prompt.ChunkWeights.ToList();
        while (ids.Count < chunkCount)
        {
            var (emptyIds, emptyWeights) = Chunk(tokenizer, [], []);
            ids.Add(emptyIds);
            weights.Add(emptyWeights);
        }

        return new TokenizedPrompt(prompt.ChunkLength, ids, weights, prompt.TokenCount);
    }

    private static (int[] Ids, float[] Weights) Chunk(ClipTokenizer tokenizer, List<int> tokens, List<float> tokenWeights)
    {
        var ids = new int[tokenizer.MaxLength];
        var weights = new float[tokenizer.MaxLength];
        Array.Fill(ids, tokenizer.PadTokenId);
        Array.Fill(weights, 1f);
        ids[0] = tokenizer.StartTokenId;
        for (var i = 0; i < tokens.Count; i++)
        {
            ids[i + 1] = tokens[i];
            weights[i + 1] = tokenWeights[i];
        }

        ids[tokens.Count + 1] = tokenizer.EndTokenId;
        return (ids, weights);
    }
}
