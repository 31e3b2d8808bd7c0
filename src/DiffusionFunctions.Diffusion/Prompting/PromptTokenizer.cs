using DiffusionFunctions.Diffusion.Tokenization;

namespace DiffusionFunctions.Diffusion.Prompting;

/// <summary>
/// Turns a prompt with emphasis syntax into text-encoder chunks the way the common web UIs do (AUTOMATIC1111's
/// <c>tokenize_line</c>, as its wiki describes it): each fragment is tokenised without special tokens, tokens carry their
/// fragment's weight, and every 75 tokens form a chunk wrapped in start/end tokens and padded to 77. <c>BREAK</c> ends the
/// current chunk early. When a chunk is full and the last comma lies at most <c>commaBacktrack</c> tokens back, the tokens
/// after that comma move to the next chunk, so a phrase is not cut in half (the web UI's "comma padding backtrack", 20 by
/// default; 0 cuts at exactly 75).
/// </summary>
public static class PromptTokenizer
{
    /// <summary>The web UI's default comma backtrack window, in tokens.</summary>
    public const int DefaultCommaBacktrack = 20;

    /// <summary>
    /// Tokenises <paramref name="prompt"/> into weighted chunks; a prompt of at most 75 tokens without <c>BREAK</c> gives one
    /// chunk whose ids equal <see cref="ClipTokenizer.Encode"/>'s.
    /// </summary>
    /// <param name="tokenizer">The CLIP tokenizer.</param>
    /// <param name="prompt">The prompt, with emphasis syntax.</param>
    /// <param name="commaBacktrack">How far back (in tokens) a full chunk looks for a comma to cut at; 0 turns it off.</param>
    public static TokenizedPrompt Tokenize(ClipTokenizer tokenizer, string prompt, int commaBacktrack = DefaultCommaBacktrack)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentOutOfRangeException.ThrowIfNegative(commaBacktrack);
        var perChunk = tokenizer.MaxLength - 2;
        var commaId = tokenizer.EncodeWithoutSpecialTokens(",").Single();
        var chunks = new ChunkBuilder(tokenizer);
        var tokens = new List<int>(perChunk);
        var tokenWeights = new List<float>(perChunk);
        var lastComma = -1;
        var tokenCount = 0;

        void EndChunk()
        {
            chunks.Add(tokens, tokenWeights);
            tokens.Clear();
            tokenWeights.Clear();
            lastComma = -1;
        }

        foreach (var fragment in PromptWeightParser.Parse(prompt))
        {
            if (fragment.IsChunkBreak)
            {
                EndChunk();
                continue;
            }

            foreach (var id in tokenizer.EncodeWithoutSpecialTokens(fragment.Text))
            {
                tokenCount++;
                if (id == commaId)
                {
                    // Where the comma will sit (it may yet open the next chunk, as in the web UI).
                    lastComma = tokens.Count;
                }
                else if (commaBacktrack != 0 && tokens.Count == perChunk && lastComma != -1 && tokens.Count - lastComma <= commaBacktrack)
                {
                    var cut = lastComma + 1;
                    var movedIds = tokens.GetRange(cut, tokens.Count - cut);
                    var movedWeights = tokenWeights.GetRange(cut, tokenWeights.Count - cut);
                    tokens.RemoveRange(cut, tokens.Count - cut);
                    tokenWeights.RemoveRange(cut, tokenWeights.Count - cut);
                    EndChunk();
                    tokens.AddRange(movedIds);
                    tokenWeights.AddRange(movedWeights);
                }

                if (tokens.Count == perChunk)
                {
                    EndChunk();
                }

                tokens.Add(id);
                tokenWeights.Add(fragment.Weight);
            }
        }

        if (tokens.Count > 0 || chunks.Count == 0)
        {
            EndChunk();
        }

        return new TokenizedPrompt(tokenizer.MaxLength, chunks.Ids, chunks.Weights, tokenCount);
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

        var chunks = new ChunkBuilder(tokenizer);
        chunks.Ids.AddRange(prompt.ChunkIds);
        chunks.Weights.AddRange(prompt.ChunkWeights);
        while (chunks.Count < chunkCount)
        {
            chunks.Add([], []);
        }

        return new TokenizedPrompt(prompt.ChunkLength, chunks.Ids, chunks.Weights, prompt.TokenCount);
    }

    // Wraps up to 75 tokens in start/end tokens and pads to 77 (weights 1 outside the prompt tokens).
    private sealed class ChunkBuilder(ClipTokenizer tokenizer)
    {
        public List<int[]> Ids { get; } = [];

        public List<float[]> Weights { get; } = [];

        public int Count => Ids.Count;

        public void Add(List<int> tokens, List<float> tokenWeights)
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
            Ids.Add(ids);
            Weights.Add(weights);
        }
    }
}
