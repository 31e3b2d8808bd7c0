using DiffusionFunctions.Diffusion.Onnx;

namespace DiffusionFunctions.Diffusion.Prompting;

/// <summary>
/// Encodes tokenised prompts into text states [chunks × 77, hidden]: all chunks in one text-encoder call, then the web UIs'
/// emphasis (AUTOMATIC1111 <c>sd_hijack_clip.py</c>, <c>process_tokens</c>): each chunk's states are multiplied position by
/// position by the token weights and rescaled so the chunk's mean is the unweighted mean. Chunks are concatenated along the
/// sequence axis. Unweighted chunks are returned exactly as the encoder produced them.
/// </summary>
public static class PromptEncoder
{
    /// <summary>Encodes <paramref name="prompt"/>; returns the states (row-major [sequence, hidden]) and the hidden width.</summary>
    public static float[] Encode(TextEncoderModel textEncoder, OrtRunScope scope, TokenizedPrompt prompt, out int hiddenSize)
    {
        ArgumentNullException.ThrowIfNull(textEncoder);
        return Encode(textEncoder, scope, prompt, TextEncoderModel.LastHiddenStateName, pooled: false, out hiddenSize, out _);
    }

    /// <summary>
    /// Encodes <paramref name="prompt"/> taking the states from output <paramref name="stateName"/> (SDXL: the penultimate
    /// layer); with <paramref name="pooled"/> also returns the first chunk's <c>text_embeds</c> row (the pooled embedding of
    /// the prompt's start, as the web UIs take it for long SDXL prompts). Weights apply to the states only.
    /// </summary>
    internal static float[] Encode(TextEncoderModel textEncoder, OrtRunScope scope, TokenizedPrompt prompt, string stateName, bool pooled, out int hiddenSize, out float[]? pooledFirstChunk)
    {
        ArgumentNullException.ThrowIfNull(textEncoder);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(prompt);
        var ids = prompt.ChunkIds.SelectMany(c => c).ToArray();
        var states = textEncoder.Encode(scope, ids, prompt.ChunkCount, stateName, pooled, out hiddenSize, out var textEmbeds);
        pooledFirstChunk = textEmbeds?[..(textEmbeds.Length / prompt.ChunkCount)];
        var chunkValues = prompt.ChunkLength * hiddenSize;
        for (var c = 0; c < prompt.ChunkCount; c++)
        {
            var weights = prompt.ChunkWeights[c];
            if (weights.All(w => w == 1f))
            {
                continue;
            }

            ApplyWeights(states.AsSpan(c * chunkValues, chunkValues), weights, hiddenSize);
        }

        return states;
    }

    /// <summary>Multiplies each position's states by its weight, then restores the chunk's original mean.</summary>
    internal static void ApplyWeights(Span<float> chunk, ReadOnlySpan<float> weights, int hiddenSize)
    {
        var originalMean = Mean(chunk);
        for (var p = 0; p < weights.Length; p++)
        {
            var row = chunk.Slice(p * hiddenSize, hiddenSize);
            var w = weights[p];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] *= w;
            }
        }

        // A weight of 0 on every position (or states averaging to 0) leaves no mean to restore: keep the plain product.
        var newMean = Mean(chunk);
        if (newMean == 0f || !float.IsFinite(originalMean / newMean))
        {
            return;
        }

        var scale = originalMean / newMean;
        for (var i = 0; i < chunk.Length; i++)
        {
            chunk[i] *= scale;
        }
    }

    private static float Mean(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }

        return (float)(sum / values.Length);
    }
}
