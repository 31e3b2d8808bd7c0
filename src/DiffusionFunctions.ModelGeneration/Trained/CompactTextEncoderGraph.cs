using DiffusionFunctions.ModelGeneration.Layers;
using DiffusionFunctions.ModelGeneration.Onnx;
using DiffusionFunctions.ModelGeneration.Weights;

namespace DiffusionFunctions.ModelGeneration.Trained;

/// <summary>
/// The CLIP text encoder of <c>ClipTextEncoderGraph</c> (pre-LN layers, causal self-attention, quick GELU, final
/// LayerNorm, <c>last_hidden_state</c> + <c>pooler_output</c>) with a compact token table: <c>Gather(id_to_row, ids)</c>
/// picks the row, then <c>Gather(token_embedding, rows)</c>. Kept beside the random-weight builder rather than as an
/// option of it so the generated test models stay byte-identical.
/// </summary>
internal static class CompactTextEncoderGraph
{
    private const string Prefix = "text_model";

    public static void Build(OnnxGraphBuilder g, CompactTextEncoderConfig config)
    {
        var ids = g.Input("input_ids", OnnxElementType.Int32, "batch_size", "sequence_length");
        var ids64 = g.Op("Cast", [ids], OnnxAttribute.Int("to", OnnxElementType.Int64));
        var idToRow = g.ConstInt64([.. config.IdToRow], config.IdToRow.Count);
        var rows = g.Op("Gather", [idToRow, ids64], OnnxAttribute.Int("axis", 0));

        var tokenTable = g.Parameter($"{Prefix}.embeddings.token_embedding.weight", [config.Rows, config.Hidden], WeightInit.Embedding);
        var positionTable = g.Parameter($"{Prefix}.embeddings.position_embedding.weight", [config.MaxPositions, config.Hidden], new WeightInit(0f, 0.1f));
        var sequenceLength = g.Op("Unsqueeze", [g.Op("Gather", [g.Op("Shape", [ids64]), g.ConstInt64([1])], OnnxAttribute.Int("axis", 0)), g.Ints(0)]);
        var positions = g.Op("Slice", [positionTable, g.Ints(0), sequenceLength, g.Ints(0)]);
        var hidden = g.Op("Add", [g.Op("Gather", [tokenTable, rows], OnnxAttribute.Int("axis", 0)), positions]);

        var mask = new float[config.MaxPositions * config.MaxPositions];
        for (var row = 0; row < config.MaxPositions; row++)
        {
            for (var column = row + 1; column < config.MaxPositions; column++)
            {
                mask[(row * config.MaxPositions) + column] = -10000f;
            }
        }

        var maskTable = g.ConstFloat(mask, config.MaxPositions, config.MaxPositions);
        var maskEnds = g.Op("Concat", [sequenceLength, sequenceLength], OnnxAttribute.Int("axis", 0));
        var causalMask = g.Op("Slice", [maskTable, g.Ints(0, 0), maskEnds, g.Ints(0, 1)]);

        for (var layer = 0; layer < config.Layers; layer++)
        {
            var name = $"{Prefix}.encoder.layers.{layer}";
            var normed = NeuralLayers.LayerNorm(g, hidden, $"{name}.layer_norm1", config.Hidden, config.LayerNormEpsilon);
            var attended = AttentionLayer.MultiHead(
                g, AttentionNames.Clip($"{name}.self_attn"), normed, normed, config.Hidden, config.Hidden, config.Hidden, config.Heads, projectionBias: true, causalMask);
            hidden = NeuralLayers.Add(g, hidden, attended);
            normed = NeuralLayers.LayerNorm(g, hidden, $"{name}.layer_norm2", config.Hidden, config.LayerNormEpsilon);
            var expanded = NeuralLayers.Linear(g, normed, $"{name}.mlp.fc1", config.Hidden, config.Intermediate);
            hidden = NeuralLayers.Add(g, hidden, NeuralLayers.Linear(g, NeuralLayers.QuickGelu(g, expanded), $"{name}.mlp.fc2", config.Intermediate, config.Hidden));
        }

        var last = NeuralLayers.LayerNorm(g, hidden, $"{Prefix}.final_layer_norm", config.Hidden, config.LayerNormEpsilon);
        var idsAsFloat = g.Op("Cast", [ids64], OnnxAttribute.Int("to", OnnxElementType.Float));
        var eosIndex = g.Op("ArgMax", [idsAsFloat], OnnxAttribute.Int("axis", -1), OnnxAttribute.Int("keepdims", 0));
        var pooled = g.Op("GatherND", [last, g.Op("Unsqueeze", [eosIndex, g.Ints(1)])], OnnxAttribute.Int("batch_dims", 1));
        g.Output(last, "last_hidden_state", g.FloatType, "batch_size", "sequence_length", config.Hidden);
        g.Output(pooled, "pooler_output", g.FloatType, "batch_size", config.Hidden);
    }
}
