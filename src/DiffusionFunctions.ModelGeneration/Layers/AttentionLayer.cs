using DiffusionFunctions.ModelGeneration.Onnx;

namespace DiffusionFunctions.ModelGeneration.Layers;

/// <summary>The projection names of one attention module (CLIP's <c>q_proj</c>… or diffusers' <c>to_q</c>…).</summary>
internal sealed record AttentionNames(string Query, string Key, string Value, string Output)
{
    public static AttentionNames Clip(string prefix) =>
        new($"{prefix}.q_proj", $"{prefix}.k_proj", $"{prefix}.v_proj", $"{prefix}.out_proj");

    public static AttentionNames Diffusers(string prefix) =>
        new($"{prefix}.to_q", $"{prefix}.to_k", $"{prefix}.to_v", $"{prefix}.to_out.0");
}

/// <summary>
/// Multi-head scaled dot-product attention from MatMul / Softmax, over <c>[batch, tokens, features]</c> inputs:
/// Q from <c>query</c>, K and V from <c>context</c> (the same tensor for self-attention, the text states for
/// cross-attention), optional additive mask, output projection.
/// </summary>
internal static class AttentionLayer
{
    public static string MultiHead(
        OnnxGraphBuilder g,
        AttentionNames names,
        string query,
        string context,
        long queryFeatures,
        long contextFeatures,
        long innerFeatures,
        long heads,
        bool projectionBias,
        string? additiveMask = null)
    {
        var headDim = innerFeatures / heads;
        if (headDim * heads != innerFeatures)
        {
            throw new ArgumentException($"Attention '{names.Query}': {innerFeatures} features do not split into {heads} heads.", nameof(heads));
        }

        var q = NeuralLayers.Linear(g, query, names.Query, queryFeatures, innerFeatures, projectionBias);
        var k = NeuralLayers.Linear(g, context, names.Key, contextFeatures, innerFeatures, projectionBias);
        var v = NeuralLayers.Linear(g, context, names.Value, contextFeatures, innerFeatures, projectionBias);

        var splitHeads = g.Ints(0, 0, heads, headDim);
        q = g.Op("Mul", [q, g.Scalar(1f / MathF.Sqrt(headDim))]);
        q = g.Op("Transpose", [g.Op("Reshape", [q, splitHeads])], OnnxAttribute.Ints("perm", 0, 2, 1, 3));
        k = g.Op("Transpose", [g.Op("Reshape", [k, splitHeads])], OnnxAttribute.Ints("perm", 0, 2, 3, 1));
        v = g.Op("Transpose", [g.Op("Reshape", [v, splitHeads])], OnnxAttribute.Ints("perm", 0, 2, 1, 3));

        var scores = g.Op("MatMul", [q, k]);
        if (additiveMask is not null)
        {
            scores = g.Op("Add", [scores, additiveMask]);
        }

        var probabilities = g.Op("Softmax", [scores], OnnxAttribute.Int("axis", -1));
        var attended = g.Op("MatMul", [probabilities, v]);
        attended = g.Op("Transpose", [attended], OnnxAttribute.Ints("perm", 0, 2, 1, 3));
        attended = g.Op("Reshape", [attended, g.Ints(0, 0, innerFeatures)]);
        return NeuralLayers.Linear(g, attended, names.Output, innerFeatures, queryFeatures, bias: true);
    }
}
